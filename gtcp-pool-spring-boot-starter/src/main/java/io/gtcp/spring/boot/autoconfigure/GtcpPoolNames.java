package io.gtcp.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * The names of the named pools, {@code gtcp.pools.<name>}, as the configuration spells them, and the rules that
 * keep a pool from vanishing silently. Boot's relaxed binding would merge {@code Orders_V2} with
 * {@code orders-v2}, cut {@code orders.eu} to {@code orders} and let a bean name collide, so a name must be in
 * Boot's canonical form (lower-case letters, digits and {@code -}, starting with a letter), no two names may bind as
 * one, and a name may not take the default pool's bean name ({@code gtcp}), its reserved name ({@code default}) or
 * the default pool's {@code gtcp.pool.name}. Any breach stops the start with an
 * {@link InvalidGtcpPoolPropertyException} that names a property of the pool as it was written.
 *
 * <p>The names are read from the property sources themselves, not from a bound map, since binding is what merges
 * them. Environment variables are left out: their names have no case and no dashes, so they cannot tell a pool's
 * name from its key ({@code GTCP_POOLS_ORDERS_EU_MAX_SIZE}); they set the keys of the pools that other sources
 * declare, and one about any other pool stops the start (see {@link GtcpEnvironmentVariables}).
 */
final class GtcpPoolNames {

    /** Boot's canonical form of a map key that is also a bean name prefix. */
    private static final Pattern CANONICAL = Pattern.compile("[a-z][a-z0-9-]*");

    /** The default pool's name, which no named pool may take. */
    static final String DEFAULT_POOL_NAME = "default";

    /** The named pool whose bean name would be the default pool's, gtcpPoolConnFactory. */
    private static final String DEFAULT_POOL_BEAN_PREFIX = "gtcp";

    private static final ConfigurationPropertyName POOLS = ConfigurationPropertyName
        .of(GtcpPoolConnFactories.NAMED_PREFIX);

    private GtcpPoolNames() {
    }

    /** The names of {@code gtcp.pools}, in the order they were first seen, once they pass every rule. */
    static Set<String> of(Environment environment) {
        Map<String, String> names = written(environment);
        Map<String, String> byUniform = new LinkedHashMap<>();
        String defaultName = Binder.get(environment)
            .bind(GtcpPoolConnFactories.DEFAULT_PREFIX + ".name", String.class)
            .orElse(null);
        names.forEach((name, property) -> {
            if (name.equals(DEFAULT_POOL_NAME)) {
                throw new InvalidGtcpPoolPropertyException(GtcpPoolConnFactories.NAMED_PREFIX + "." + name, name,
                        "a named pool must not be called " + DEFAULT_POOL_NAME
                                + ", the name that stands for the default pool: set the default pool's properties under "
                                + GtcpPoolConnFactories.DEFAULT_PREFIX + ".* (or give this pool another name)",
                        null);
            }
            if (!CANONICAL.matcher(name).matches()) {
                throw new InvalidGtcpPoolPropertyException(property, name, "the pool name '" + name
                        + "' is not in Boot's canonical form: a pool name has lower-case letters, digits and '-', and"
                        + " starts with a letter" + (name.contains(".") ? " (a '.' would split it into a name and a key)"
                                : "")
                        + "; write it as gtcp.pools." + suggestion(name), null);
            }
            if (name.equals(DEFAULT_POOL_BEAN_PREFIX)) {
                throw new InvalidGtcpPoolPropertyException(property, name, "the pool name '" + name
                        + "' would make a bean gtcpPoolConnFactory, the default pool's bean name: give the pool another"
                        + " name", null);
            }
            if (name.equals(defaultName)) {
                throw new InvalidGtcpPoolPropertyException(property, name, "gtcp.pool.name is '" + name
                        + "' as well, so two pools would share the pool tag and logs of '" + name
                        + "': change gtcp.pool.name or rename gtcp.pools." + name, null);
            }
            String twin = byUniform.putIfAbsent(name.replace("-", ""), name);
            if (twin != null) {
                throw new InvalidGtcpPoolPropertyException(property, name, "gtcp.pools." + name + " and gtcp.pools."
                        + twin + " bind as one pool (Boot's relaxed binding ignores '-'): give them names that"
                        + " differ in more than dashes", null);
            }
        });
        return names.keySet();
    }

    /**
     * The names under {@code gtcp.pools} as written in the sources other than the environment, not yet checked:
     * the pools that exist, whose keys an environment variable may set.
     */
    static Set<String> declared(Environment environment) {
        return written(environment).keySet();
    }

    /** The bean name of a named pool: {@code <name>PoolConnFactory}. */
    static String beanName(String name) {
        return name + "PoolConnFactory";
    }

    /** Each name under {@code gtcp.pools} as written, with the first full property name seen under it. */
    private static Map<String, String> written(Environment environment) {
        Map<String, String> names = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)
                    || GtcpPropertyKeys.isSystemEnvironment(source)) {
                continue;
            }
            iterable.stream().filter(POOLS::isAncestorOf).forEach((property) -> names
                .putIfAbsent(property.getElement(POOLS.getNumberOfElements(), Form.ORIGINAL), GtcpPropertyKeys.asWritten(property)));
        }
        return names;
    }

    /** A canonical name close to {@code name}: lower case, '-' for every other separator. */
    private static String suggestion(String name) {
        String dashed = name.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^[^a-z]+|-+$", "");
        return dashed.isEmpty() ? "orders" : dashed;
    }
}
