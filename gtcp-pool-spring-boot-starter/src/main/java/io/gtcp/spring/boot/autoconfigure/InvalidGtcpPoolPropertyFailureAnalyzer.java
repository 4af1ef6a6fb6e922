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
 * property of which pool, the value as it was written, where it was written (the file and line, the environment
 * variable…) and what it must be instead. A named pool's value that it inherited from {@code gtcp.pool.*} is
 * traced back there, since that is the line to change. Registered in {@code META-INF/spring.factories}.
 */
class InvalidGtcpPoolPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidGtcpPoolPropertyException> {

    private static final String NAMED_PREFIX = GtcpPoolConnFactories.NAMED_PREFIX + ".";

    private final Environment environment;

    InvalidGtcpPoolPropertyFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidGtcpPoolPropertyException cause) {
        String property = cause.getProperty();
        String inheritedFrom = inheritedFrom(property);
        ConfigurationProperty source = findSource(property);
        if (source == null && inheritedFrom != null) {
            source = findSource(inheritedFrom);
        }
        else {
            inheritedFrom = null;
        }
        String value = (source != null && source.getValue() != null) ? source.getValue().toString() : cause.getValue();
        Origin origin = Origin.from(source);
        StringBuilder description = new StringBuilder();
        description.append(property.startsWith("gtcp.server.") ? "The gtcp server" : "The gtcp pool" + poolName(property))
            .append(" could not be configured:\n\n");
        description.append("    Property: ").append(property).append('\n');
        description.append("    Value: \"").append(value).append("\"\n");
        if (inheritedFrom != null && source != null) {
            description.append("    Inherited from: ").append(inheritedFrom).append('\n');
        }
        if (origin != null) {
            description.append("    Origin: ").append(origin).append('\n');
        }
        description.append("    Reason: ").append(cause.getRequirement());
        String change = (inheritedFrom != null && source != null) ? inheritedFrom + " (or set " + property + ")"
                : property;
        String action = "Change " + change + " in the application's configuration: " + cause.getRequirement() + ".";
        return new FailureAnalysis(description.toString(), action, cause);
    }

    /** For {@code gtcp.pools.<name>.<key>}, the default pool's {@code gtcp.pool.<key>} it inherits; else null. */
    private static String inheritedFrom(String property) {
        if (!property.startsWith(NAMED_PREFIX)) {
            return null;
        }
        int key = property.indexOf('.', NAMED_PREFIX.length());
        return (key < 0) ? null : GtcpPoolConnFactories.DEFAULT_PREFIX + property.substring(key);
    }

    /** " 'orders'" for a property of the named pool orders, else nothing. */
    private static String poolName(String property) {
        if (!property.startsWith(NAMED_PREFIX)) {
            return "";
        }
        int key = property.indexOf('.', NAMED_PREFIX.length());
        return " '" + property.substring(NAMED_PREFIX.length(), (key < 0) ? property.length() : key) + "'";
    }

    private ConfigurationProperty findSource(String property) {
        if (this.environment == null) {
            return null;
        }
        // adapt, not of: a named pool's key keeps the user's spelling (ordersEu), which of() rejects
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(property, '.');
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
            ConfigurationProperty candidate = source.getConfigurationProperty(name);
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
