package io.gtcp.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.PropertySourceInfo;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses an environment variable under {@code GTCP_POOL_}, {@code GTCP_POOLS_} or {@code GTCP_SERVER_} that no
 * key reads: {@code GTCP_POOL_MAXSZIE} would leave the pool at its default without a word, as a typo in
 * application.yml would (see {@link GtcpPropertyKeys}).
 *
 * <p>An environment variable cannot be compared as a key: it has no dashes and no case, so
 * {@code GTCP_POOLS_ORDERS_EU_MAX_SIZE} could be a pool {@code orders} with a key {@code eu.max-size} or a pool
 * {@code orders-eu} with {@code max-size}. So the question is turned round and put to Boot: each variable alone
 * (in a source of its own, named and prefixed as the process environment, so Boot maps it by the same rules) is
 * looked up under every key that the binder would read, and it passes if one of them finds it. Those keys are the
 * known keys of {@code gtcp.pool} and {@code gtcp.server} (list keys with the variable's indexes too, map keys with
 * anything below), and for the named pools every key of {@code gtcp.pool} but {@code name} under each pool that
 * another source declares: the starter makes its named pools from the names in the other sources only (see
 * {@link GtcpPoolNames}), so a variable about any other pool sets nothing, and is refused as well, and so is one
 * that sets a named pool's name ({@link GtcpPropertyKeys#namedPoolsName}).
 *
 * <p>Kubernetes gives every container variables for each Service of its namespace ("service links"):
 * {@code <SERVICE>_SERVICE_HOST}, {@code <SERVICE>_SERVICE_PORT[_<PORT NAME>]}, {@code <SERVICE>_PORT=tcp://…} and
 * {@code <SERVICE>_PORT_<n>_<TCP|UDP|SCTP>[_PROTO|_PORT|_ADDR]}. A Service named {@code gtcp-pool} or
 * {@code gtcp-server} thus puts {@code GTCP_POOL_SERVICE_HOST} and the like into every pod beside it: they are not
 * the application's settings, and refusing them would stop applications that never set a gtcp variable, so
 * variables of those shapes are left alone ({@link #isServiceLink}).
 */
final class GtcpEnvironmentVariables {

    /** The names of Kubernetes service-link variables, but for {@code <SERVICE>_PORT} (told by its value). */
    private static final Pattern SERVICE_LINK = Pattern
        .compile("(?i).+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)");

    /** The value of a {@code <SERVICE>_PORT} service-link variable: {@code tcp://10.96.0.5:9000}. */
    private static final Pattern SERVICE_LINK_PORT = Pattern.compile("(?i)(tcp|udp|sctp)://.*");

    private static final ConfigurationPropertyName POOL = ConfigurationPropertyName
        .of(GtcpPoolConnFactories.DEFAULT_PREFIX);

    private static final ConfigurationPropertyName POOLS = ConfigurationPropertyName
        .of(GtcpPoolConnFactories.NAMED_PREFIX);

    private static final ConfigurationPropertyName SERVER = ConfigurationPropertyName.of("gtcp.server");

    private static final String POOL_KEYS = GtcpPoolConnFactories.DEFAULT_PREFIX + ".";

    private GtcpEnvironmentVariables() {
    }

    /**
     * Stops the start at the first variable of {@code environment} (a process environment source) under the
     * starter's prefixes that no key in {@code known} reads; {@code pools} are the named pools other sources declare.
     */
    static void check(ConfigurationPropertySource environment, GtcpPropertyKeys known, Set<String> pools) {
        if (!(environment instanceof IterableConfigurationPropertySource)
                || !(environment.getUnderlyingSource() instanceof SystemEnvironmentPropertySource variables)) {
            return; // a security-restricted environment, which cannot be listed: Boot only looks names up in it
        }
        String prefix = (variables instanceof PropertySourceInfo info) ? info.getPrefix() : null;
        for (String variable : variables.getPropertyNames()) {
            if (!variable.toLowerCase(Locale.ROOT).contains("gtcp")) {
                continue;
            }
            Object value = variables.getSource().get(variable);
            if (isServiceLink(variable, value)) {
                continue;
            }
            ConfigurationPropertySource alone = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                    variables.getName(), Map.of(variable, (value != null) ? value : "")));
            if (prefix != null && !prefix.isEmpty()) {
                alone = alone.withPrefix(prefix);
            }
            if (alone instanceof IterableConfigurationPropertySource iterable) {
                for (ConfigurationPropertyName name : iterable.stream().toList()) {
                    if (alone.getConfigurationProperty(name) != null) { // else outside the prefix: not the application's
                        check(variable, name, alone, known, pools, value);
                    }
                }
            }
        }
    }

    /** Whether {@code variable} has the shape of a Kubernetes service-link variable (see the class comment). */
    static boolean isServiceLink(String variable, Object value) {
        if (SERVICE_LINK.matcher(variable).matches()) {
            return true;
        }
        return variable.toUpperCase(Locale.ROOT).endsWith("_PORT") && value != null
                && SERVICE_LINK_PORT.matcher(value.toString()).matches();
    }

    private static void check(String variable, ConfigurationPropertyName name, ConfigurationPropertySource alone,
            GtcpPropertyKeys known, Set<String> pools, Object value) {
        List<Read> reads = new ArrayList<>();
        if (POOLS.isAncestorOf(name)) {
            if (name.getNumberOfElements() == POOLS.getNumberOfElements() + 1) {
                return; // GTCP_POOLS_ORDERS=…: a value for the pool itself, as GtcpPropertyKeys leaves it
            }
            for (String pool : pools) {
                ConfigurationPropertyName root = ConfigurationPropertyName
                    .adapt(GtcpPoolConnFactories.NAMED_PREFIX + "." + pool, '.');
                if (alone.getConfigurationProperty(root.append("name")) != null) {
                    throw GtcpPropertyKeys.namedPoolsName(pool,
                            GtcpPoolConnFactories.NAMED_PREFIX + "." + pool + ".name");
                }
                for (String key : known.keys()) {
                    if (key.startsWith(POOL_KEYS) && !key.equals(POOL_KEYS + "name")) {
                        reads.add(new Read(root.append(key.substring(POOL_KEYS.length())), key));
                    }
                }
            }
            if (anyReads(alone, name, reads, known)) {
                return;
            }
            throw new InvalidGtcpPoolPropertyException(GtcpPropertyKeys.asWritten(name), value, "the environment"
                    + " variable " + variable + " sets no key of a named pool: the named pools are "
                    + (pools.isEmpty() ? "none" : String.join(", ", pools)) + ", as the other sources declare them"
                    + " (application.yml, the command line…: an environment variable cannot declare a pool, since its"
                    + " name cannot tell the pool's name from the key), each with the keys of gtcp.pool but name"
                    + nearest(variable, reads), null);
        }
        if (!POOL.isAncestorOf(name) && !SERVER.isAncestorOf(name)) {
            return;
        }
        String root = (POOL.isAncestorOf(name) ? POOL : SERVER) + ".";
        for (String key : known.keys()) {
            if (key.startsWith(root)) {
                reads.add(new Read(ConfigurationPropertyName.of(key), key));
            }
        }
        if (anyReads(alone, name, reads, known)) {
            return;
        }
        throw new InvalidGtcpPoolPropertyException(GtcpPropertyKeys.asWritten(name), value, "the environment variable "
                + variable + " sets no key (Boot reads an environment variable as a key in upper case, '_' for '.',"
                + " each '-' left out or '_')" + nearest(variable, reads), null);
    }

    /**
     * Whether one of {@code reads} finds the variable, alone in its source: the key itself, a list key with the
     * variable's indexes ({@code GTCP_POOL_ADDRESSES_0}), or a map key with anything below.
     */
    private static boolean anyReads(ConfigurationPropertySource alone, ConfigurationPropertyName name,
            List<Read> reads, GtcpPropertyKeys known) {
        for (Read read : reads) {
            if (alone.getConfigurationProperty(read.name()) != null) {
                return true;
            }
            if (known.isList(read.known()) && alone.getConfigurationProperty(withIndexes(read.name(), name)) != null) {
                return true;
            }
            if (known.openPrefixes().contains(read.known())
                    && alone.containsDescendantOf(read.name()) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    /** {@code key} followed by the list indexes of {@code name}: {@code gtcp.pool.addresses[0]}. */
    private static ConfigurationPropertyName withIndexes(ConfigurationPropertyName key, ConfigurationPropertyName name) {
        ConfigurationPropertyName indexed = key;
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            if (name.isNumericIndex(i)) {
                indexed = indexed.append("[" + name.getElement(i, Form.ORIGINAL) + "]");
            }
        }
        return indexed;
    }

    /** "; did you mean GTCP_POOL_MAXSIZE (gtcp.pool.max-size)?" for the key nearest to {@code variable}, or nothing. */
    private static String nearest(String variable, List<Read> reads) {
        String upper = variable.toUpperCase(Locale.ROOT);
        String prefix = variable.substring(0, Math.max(0, upper.indexOf("GTCP_")));
        String best = null;
        Read bestRead = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Read read : reads) {
            String candidate = prefix + read.name().toString().replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
            int distance = GtcpPropertyKeys.distance(candidate, upper);
            if (distance < bestDistance) {
                best = candidate;
                bestRead = read;
                bestDistance = distance;
            }
        }
        return (best != null && bestDistance <= Math.max(3, variable.length() / 4))
                ? "; did you mean " + best + " (" + bestRead.name() + ")?" : "";
    }

    /**
     * A key the binder reads: its name ({@code gtcp.pools.orders.max-size}) and the known key it stands for in the
     * metadata ({@code gtcp.pool.max-size}).
     */
    private record Read(ConfigurationPropertyName name, String known) {
    }
}
