package io.gtcp.spring.boot.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Turns an {@link InvalidGtcpPoolPropertyException} into the "APPLICATION FAILED TO START" report: which
 * {@code gtcp.pool} property, the value as it was written, where it was written (the file and line, the environment
 * variable…) and what it must be instead. Registered in {@code META-INF/spring.factories}.
 */
class InvalidGtcpPoolPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidGtcpPoolPropertyException> {

    private final Environment environment;

    InvalidGtcpPoolPropertyFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidGtcpPoolPropertyException cause) {
        ConfigurationProperty source = findSource(cause.getProperty());
        String value = (source != null && source.getValue() != null) ? source.getValue().toString() : cause.getValue();
        Origin origin = Origin.from(source);
        StringBuilder description = new StringBuilder();
        description.append("The gtcp pool could not be configured:\n\n");
        description.append("    Property: ").append(cause.getProperty()).append('\n');
        description.append("    Value: \"").append(value).append("\"\n");
        if (origin != null) {
            description.append("    Origin: ").append(origin).append('\n');
        }
        description.append("    Reason: ").append(cause.getRequirement());
        String action = "Change " + cause.getProperty() + " in the application's configuration: "
                + cause.getRequirement() + ".";
        return new FailureAnalysis(description.toString(), action, cause);
    }

    private ConfigurationProperty findSource(String property) {
        if (this.environment == null) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
            ConfigurationProperty candidate = source.getConfigurationProperty(name);
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
