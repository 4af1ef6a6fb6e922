package io.gtcp.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;

/**
 * A {@link Binder} made as Spring Boot makes the one that binds
 * {@link ConfigurationProperties @ConfigurationProperties} beans (the default pool's {@link GtcpPoolProperties}
 * among them), so that a value that binds under {@code gtcp.pool} binds the same way under
 * {@code gtcp.pools.<name>}: the environment's property sources, placeholders resolved, the bean factory's
 * property editors, and the same conversion services.
 *
 * <p>Why not {@code Binder.get(environment)}: it converts with Boot's built-in conversions only, so the
 * application's {@code conversionService} bean and its {@link ConfigurationPropertiesBinding
 * @ConfigurationPropertiesBinding} converters would reach the default pool and not the named ones. Boot's own
 * binder is internal, hence this copy of how it chooses the conversion services: the application's
 * {@code conversionService} bean alone if there is one; otherwise the {@code @ConfigurationPropertiesBinding}
 * converters and formatters (over Boot's conversions, which they override), then the bean factory's conversion
 * service.
 */
final class ConfigurationPropertiesBinders {

    private ConfigurationPropertiesBinders() {
    }

    /** A binder over {@code environment} with the conversions the beans of {@code beanFactory} add. */
    static Binder create(ConfigurableEnvironment environment, ConfigurableListableBeanFactory beanFactory) {
        MutablePropertySources propertySources = environment.getPropertySources();
        return new Binder(ConfigurationPropertySources.from(propertySources),
                new PropertySourcesPlaceholdersResolver(propertySources), conversionServices(beanFactory),
                beanFactory::copyRegisteredEditorsTo, null, null);
    }

    /** The conversion services in Boot's order for {@code @ConfigurationProperties}; null: Boot's own only. */
    private static List<ConversionService> conversionServices(ConfigurableListableBeanFactory beanFactory) {
        String name = ConfigurableApplicationContext.CONVERSION_SERVICE_BEAN_NAME;
        if (beanFactory.containsBean(name) && beanFactory.isTypeMatch(name, ConversionService.class)) {
            return List.of(beanFactory.getBean(name, ConversionService.class));
        }
        List<ConversionService> services = new ArrayList<>();
        // an ApplicationConversionService, not a bare one: a converter from String must also read the
        // OriginTrackedCharSequence values of a YAML file, which Boot's conversions take care of
        ApplicationConversionService converters = new ApplicationConversionService();
        if (!ApplicationConversionService.addBeans(converters, beanFactory, ConfigurationPropertiesBinding.VALUE)
            .isEmpty()) {
            services.add(converters);
        }
        if (beanFactory.getConversionService() != null) {
            services.add(beanFactory.getConversionService());
        }
        return services.isEmpty() ? null : services;
    }
}
