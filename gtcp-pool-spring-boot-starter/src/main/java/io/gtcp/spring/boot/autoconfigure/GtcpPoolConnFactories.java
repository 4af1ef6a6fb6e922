package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.PoolConnFactory;

import java.util.ArrayList;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Builds the starter's {@link PoolConnFactory} beans: the default pool from its bound {@link GtcpPoolProperties},
 * and each named pool ({@link GtcpNamedPoolsRegistrar} registers one bean per {@code gtcp.pools.<name>} whose
 * factory method is {@link #create(String)}). Both go through the same {@link GtcpPoolPropertiesMapper} and the
 * same {@link GtcpPoolConnFactoryBuilderCustomizer}s, so a named pool is configured exactly as the default one.
 *
 * <p>A named pool's settings are bound at run time, when its bean is created: first {@code gtcp.pool.*}, then
 * {@code gtcp.pools.<name>.*} over it, so what the named pool leaves unset it inherits. Where get() connects
 * ({@code address}, {@code addresses}, {@code discovery.service-id}) is inherited as a whole or not at all: a
 * named pool that sets any of them does not also get the default pool's. The binder converts values as Boot does
 * for {@code @ConfigurationProperties} (see {@link ConfigurationPropertiesBinders}), so a value that the default
 * pool accepts, through the application's converters too, a named pool accepts as well.
 */
public class GtcpPoolConnFactories {

    /** The prefix of the default pool, and of the settings every named pool inherits. */
    public static final String DEFAULT_PREFIX = "gtcp.pool";

    /** The prefix of the named pools' map. */
    public static final String NAMED_PREFIX = "gtcp.pools";

    private final Binder binder;

    private final GtcpPoolPropertiesMapper mapper;

    private final ObjectProvider<GtcpPoolConnFactoryBuilderCustomizer> customizers;

    private final GtcpDiscoveryGroups discoveryGroups;

    /**
     * @param binder      binds the named pools: to read their values as the default pool's are read, it should
     *                    convert as Boot does for {@code @ConfigurationProperties} (the starter's own does)
     * @param mapper      the properties' way onto the builder
     * @param customizers applied to every pool's builder, in order
     */
    public GtcpPoolConnFactories(Binder binder, GtcpPoolPropertiesMapper mapper,
            ObjectProvider<GtcpPoolConnFactoryBuilderCustomizer> customizers) {
        this(binder, mapper, customizers, null);
    }

    /**
     * @param discoveryGroups follows the registry for the pools with a {@code discovery.service-id} (refresh on its
     *                        events, a poll until the first); null: they refresh every refresh-every only
     */
    public GtcpPoolConnFactories(Binder binder, GtcpPoolPropertiesMapper mapper,
            ObjectProvider<GtcpPoolConnFactoryBuilderCustomizer> customizers, GtcpDiscoveryGroups discoveryGroups) {
        this.binder = binder;
        this.mapper = mapper;
        this.customizers = customizers;
        this.discoveryGroups = discoveryGroups;
    }

    /** The named pool {@code gtcp.pools.<name>}: its properties over the default pool's, named {@code name}. */
    public PoolConnFactory create(String name) {
        return build(NAMED_PREFIX + "." + name, properties(name));
    }

    /** The settings of the named pool {@code gtcp.pools.<name>}: its properties over the default pool's. */
    GtcpPoolProperties properties(String name) {
        // adapt, not of: a map key keeps the user's spelling (ordersEu), which of() rejects as a property name
        ConfigurationPropertyName root = ConfigurationPropertyName.adapt(NAMED_PREFIX + "." + name, '.');
        GtcpPoolProperties properties = this.binder.bind(DEFAULT_PREFIX, Bindable.of(GtcpPoolProperties.class))
            .orElseGet(GtcpPoolProperties::new);
        if (setsTarget(this.binder, root)) {
            clearTarget(properties);
        }
        this.binder.bind(root, Bindable.ofInstance(properties));
        properties.setName(name);
        return properties;
    }

    /** A factory from {@code properties}, bound from {@code prefix}, with every customizer applied in order. */
    PoolConnFactory build(String prefix, GtcpPoolProperties properties) {
        PoolConnFactory.Builder builder = this.mapper.builder(prefix, properties);
        String name = properties.getName();
        this.customizers.orderedStream().forEach((customizer) -> customizer.customize(name, builder));
        PoolConnFactory factory = builder.build();
        if (this.discoveryGroups != null && properties.getDiscovery().getServiceId() != null) {
            this.discoveryGroups.register(factory, properties.getDiscovery().getPollUntilHeartbeat());
        }
        return factory;
    }

    /**
     * Forgets where get() connects to (address, addresses, discovery), so that a named pool that says where it
     * connects does not also inherit the default pool's answer.
     */
    private static void clearTarget(GtcpPoolProperties properties) {
        properties.setAddress(null);
        properties.setAddresses(new ArrayList<>());
        properties.getDiscovery().setServiceId(null);
    }

    private static boolean setsTarget(Binder binder, ConfigurationPropertyName root) {
        return binder.bind(root.append("address"), Bindable.of(String.class)).isBound()
                || binder.bind(root.append("addresses"), Bindable.listOf(String.class)).isBound()
                || binder.bind(root.append("discovery.service-id"), Bindable.of(String.class)).isBound();
    }
}
