package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Builds the starter's {@link PoolConnFactory} beans: the default pool from its bound {@link GtcpPoolProperties},
 * and each named pool ({@link GtcpNamedPoolsRegistrar} registers one bean per {@code gtcp.pools.<name>} whose
 * factory method is {@link #create(String)}). Both go through the same {@link GtcpPoolPropertiesMapper} and the
 * same {@link GtcpPoolConnFactoryBuilderCustomizer}s, so a named pool is configured exactly as the default one.
 *
 * <p>A named pool's settings are bound at run time, when its bean is created: first {@code gtcp.pool.*}, then
 * {@code gtcp.pools.<name>.*} over it, so what the named pool leaves unset it inherits. Where get() connects
 * ({@code address}, {@code addresses}, {@code discovery.service-id}) is inherited as a whole or not at all: a
 * named pool that sets any of them does not also get the default pool's.
 */
public class GtcpPoolConnFactories {

    /** The prefix of the default pool, and of the settings every named pool inherits. */
    public static final String DEFAULT_PREFIX = "gtcp.pool";

    /** The prefix of the named pools' map. */
    public static final String NAMED_PREFIX = "gtcp.pools";

    private final Environment environment;

    private final GtcpPoolPropertiesMapper mapper;

    private final ObjectProvider<GtcpPoolConnFactoryBuilderCustomizer> customizers;

    public GtcpPoolConnFactories(Environment environment, GtcpPoolPropertiesMapper mapper,
            ObjectProvider<GtcpPoolConnFactoryBuilderCustomizer> customizers) {
        this.environment = environment;
        this.mapper = mapper;
        this.customizers = customizers;
    }

    /** The named pool {@code gtcp.pools.<name>}: its properties over the default pool's, named {@code name}. */
    public PoolConnFactory create(String name) {
        return build(NAMED_PREFIX + "." + name, properties(name));
    }

    /** The settings of the named pool {@code gtcp.pools.<name>}: its properties over the default pool's. */
    GtcpPoolProperties properties(String name) {
        // adapt, not of: a map key keeps the user's spelling (ordersEu), which of() rejects as a property name
        ConfigurationPropertyName root = ConfigurationPropertyName.adapt(NAMED_PREFIX + "." + name, '.');
        Binder binder = Binder.get(this.environment);
        GtcpPoolProperties properties = binder.bind(DEFAULT_PREFIX, Bindable.of(GtcpPoolProperties.class))
            .orElseGet(GtcpPoolProperties::new);
        if (setsTarget(binder, root)) {
            properties.clearTarget();
        }
        binder.bind(root, Bindable.ofInstance(properties));
        properties.setName(name);
        return properties;
    }

    /** A factory from {@code properties}, bound from {@code prefix}, with every customizer applied in order. */
    PoolConnFactory build(String prefix, GtcpPoolProperties properties) {
        PoolConnFactory.Builder builder = this.mapper.builder(prefix, properties);
        String name = properties.getName();
        this.customizers.orderedStream().forEach((customizer) -> customizer.customize(name, builder));
        return builder.build();
    }

    private static boolean setsTarget(Binder binder, ConfigurationPropertyName root) {
        return binder.bind(root.append("address"), Bindable.of(String.class)).isBound()
                || binder.bind(root.append("addresses"), Bindable.listOf(String.class)).isBound()
                || binder.bind(root.append("discovery.service-id"), Bindable.of(String.class)).isBound();
    }
}
