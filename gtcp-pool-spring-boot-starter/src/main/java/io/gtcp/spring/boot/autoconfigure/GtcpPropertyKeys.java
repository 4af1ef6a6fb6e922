package io.gtcp.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses a key under {@code gtcp.pool.}, {@code gtcp.pools.<name>.} or {@code gtcp.server.} that nothing binds:
 * Boot ignores unknown keys, so {@code max-szie} would leave the pool at its default without a word. The keys that
 * exist are read from the configuration metadata that the configuration processor writes from the properties
 * classes ({@code META-INF/spring-configuration-metadata.json} of every jar), so a property added to a properties
 * class is known at once, wherever its class lives. A named pool has the keys of {@code gtcp.pool} but
 * {@code name}: it is named by its key, so {@code gtcp.pools.<name>.name} is refused with a report that says so. Other
 * {@code gtcp.*} prefixes belong to the application and are not looked at.
 *
 * <p>Keys are compared in Boot's uniform form, so every relaxed spelling of a key that binds ({@code maxSize},
 * {@code max_size}) passes, and list indexes ({@code addresses[0]}) are ignored. Environment variables have no
 * dashes, so {@code GTCP_POOL_MAX_SIZE} cannot be compared as a key: {@link GtcpEnvironmentVariables} asks Boot
 * instead whether a known key reads it.
 */
final class GtcpPropertyKeys {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private static final Pattern PROPERTIES = Pattern.compile("\"properties\"\\s*:\\s*\\[");

    /** One object of the list (strings skipped whole, at most one nested object), or the list's closing bracket. */
    private static final Pattern ENTRY = Pattern.compile(
            "\\{(?:\"(?:[^\"\\\\]|\\\\.)*\"|[^{}\"]|\\{(?:\"(?:[^\"\\\\]|\\\\.)*\"|[^{}\"])*})*}|]");

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

    private static final ConfigurationPropertyName POOL = ConfigurationPropertyName
        .of(GtcpPoolConnFactories.DEFAULT_PREFIX);

    private static final ConfigurationPropertyName POOLS = ConfigurationPropertyName
        .of(GtcpPoolConnFactories.NAMED_PREFIX);

    /** The default pool's name, uniform: a key of gtcp.pool that a named pool does not have. */
    private static final String POOL_NAME = GtcpPoolConnFactories.DEFAULT_PREFIX + ".name";

    private static final ConfigurationPropertyName SERVER = ConfigurationPropertyName.of("gtcp.server");

    /** The known keys, dashed ({@code gtcp.pool.max-size}), and the prefixes under which a map takes any key. */
    private final Set<String> keys = new TreeSet<>();

    private final List<String> openPrefixes = new ArrayList<>();

    /** The known keys whose value is a list: indexed too ({@code addresses[0]}). */
    private final Set<String> lists = new TreeSet<>();

    private GtcpPropertyKeys(ClassLoader classLoader) {
        try {
            Enumeration<URL> resources = classLoader.getResources(METADATA);
            while (resources.hasMoreElements()) {
                read(resources.nextElement());
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + METADATA, ex);
        }
    }

    /** Stops the start at the first key under the starter's prefixes that no properties class has. */
    static void check(Environment environment, ClassLoader classLoader) {
        GtcpPropertyKeys known = new GtcpPropertyKeys(classLoader);
        List<ConfigurationPropertySource> environmentVariables = new ArrayList<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (isSystemEnvironment(source)) {
                environmentVariables.add(source);
            }
            else if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().forEach(known::check);
            }
        }
        for (ConfigurationPropertySource source : environmentVariables) {
            GtcpEnvironmentVariables.check(source, known, GtcpPoolNames.declared(environment));
        }
    }

    /**
     * Whether {@code source} is the process environment, as Boot tells it (a {@link SystemEnvironmentPropertySource}
     * named {@code systemEnvironment} or {@code …-systemEnvironment}): its names are mapped to keys by Boot's own
     * rules, so they are checked by {@link GtcpEnvironmentVariables} instead.
     */
    static boolean isSystemEnvironment(ConfigurationPropertySource source) {
        return source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource underlying
                && (StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(underlying.getName())
                        || underlying.getName().endsWith("-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME));
    }

    /** The known keys, dashed: {@code gtcp.pool.max-size}, {@code gtcp.server.address}… */
    Set<String> keys() {
        return this.keys;
    }

    /** The known keys of map type, under which any key binds. */
    List<String> openPrefixes() {
        return this.openPrefixes;
    }

    /** Whether the known key {@code key} is a list, which binds indexed elements too. */
    boolean isList(String key) {
        return this.lists.contains(key);
    }

    /** The name as it was written: each element in its original form. */
    static String asWritten(ConfigurationPropertyName name) {
        StringBuilder written = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, Form.ORIGINAL);
            if (name.isNumericIndex(i)) {
                written.append('[').append(element).append(']');
            }
            else {
                written.append((i > 0) ? "." : "").append(element);
            }
        }
        return written.toString();
    }

    private void check(ConfigurationPropertyName name) {
        String key;
        if (POOLS.isAncestorOf(name)) {
            if (name.getNumberOfElements() == POOLS.getNumberOfElements() + 1) {
                return; // gtcp.pools.orders=…: a value for the pool itself, which the binder refuses on its own
            }
            key = GtcpPoolConnFactories.DEFAULT_PREFIX + "." + uniform(name, POOLS.getNumberOfElements() + 1);
            if (key.equals(POOL_NAME)) {
                throw namedPoolsName(name.getElement(POOLS.getNumberOfElements(), Form.ORIGINAL), asWritten(name));
            }
        }
        else if (POOL.isAncestorOf(name) || SERVER.isAncestorOf(name)) {
            key = uniform(name, 0);
        }
        else {
            return;
        }
        if (isKnown(key)) {
            return;
        }
        String written = asWritten(name);
        String requirement = "there is no such key" + nearest(name);
        if (POOLS.isAncestorOf(name) && name.getNumberOfElements() > POOLS.getNumberOfElements() + 2
                && isKnown(GtcpPoolConnFactories.DEFAULT_PREFIX + "." + uniform(name, POOLS.getNumberOfElements() + 2))) {
            String pool = name.getElement(POOLS.getNumberOfElements(), Form.ORIGINAL);
            String rest = name.getElement(POOLS.getNumberOfElements() + 1, Form.ORIGINAL);
            requirement = "pool '" + pool + "' has no key '" + rest + "': a pool name has no '.', so "
                    + "gtcp.pools." + pool + "." + rest + " is not a pool; name it gtcp.pools." + pool + "-" + rest;
        }
        throw new InvalidGtcpPoolPropertyException(written, "", requirement, null);
    }

    /**
     * {@code gtcp.pools.<name>.name}: a named pool is named by its key, and the binder would overwrite the value
     * without a word. Refused even when it repeats the key: one place for the name, so that renaming the key
     * cannot leave a stale second one behind.
     */
    static InvalidGtcpPoolPropertyException namedPoolsName(String pool, String written) {
        return new InvalidGtcpPoolPropertyException(written, "", "a named pool is named by its key under "
                + GtcpPoolConnFactories.NAMED_PREFIX + " ('" + pool + "': its bean " + GtcpPoolNames.beanName(pool)
                + ", @Qualifier(\"" + pool + "\"), the pool tag of its meters), so name is not one of its keys; remove "
                + written + ", or move the pool to " + GtcpPoolConnFactories.NAMED_PREFIX
                + ".<the name you want> (gtcp.pool.name names the default pool only)", null);
    }

    private boolean isKnown(String uniformKey) {
        if (this.keys.stream().anyMatch((known) -> uniform(ConfigurationPropertyName.of(known), 0).equals(uniformKey))) {
            return true;
        }
        return this.openPrefixes.stream()
            .anyMatch((prefix) -> uniformKey.startsWith(uniform(ConfigurationPropertyName.of(prefix), 0) + "."));
    }

    /** "; did you mean gtcp.pool.max-size?" with the known key nearest to {@code name}, or nothing. */
    private String nearest(ConfigurationPropertyName name) {
        boolean named = POOLS.isAncestorOf(name);
        String typed = asWritten(name);
        String prefix = named ? typed.substring(0, typed.indexOf('.', GtcpPoolConnFactories.NAMED_PREFIX.length() + 1))
                : "";
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : this.keys) {
            String candidate = named ? (known.startsWith(GtcpPoolConnFactories.DEFAULT_PREFIX + ".")
                    ? prefix + known.substring(GtcpPoolConnFactories.DEFAULT_PREFIX.length()) : null) : known;
            if (candidate == null || (!named && !sameRoot(candidate, typed))) {
                continue;
            }
            int distance = distance(candidate, typed);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return (best != null && bestDistance <= Math.max(3, typed.length() / 4)) ? "; did you mean " + best + "?" : "";
    }

    private static boolean sameRoot(String known, String typed) {
        return known.startsWith(typed.substring(0, typed.indexOf('.', "gtcp.".length()) + 1));
    }

    /** The elements of {@code name} from {@code from} on, uniform, list indexes left out, joined by dots. */
    private static String uniform(ConfigurationPropertyName name, int from) {
        StringBuilder key = new StringBuilder();
        for (int i = from; i < name.getNumberOfElements(); i++) {
            if (name.isNumericIndex(i)) {
                continue;
            }
            key.append((key.length() > 0) ? "." : "").append(name.getElement(i, Form.UNIFORM));
        }
        return key.toString();
    }

    /**
     * The {@code gtcp.pool.*} and {@code gtcp.server.*} entries of the metadata's {@code properties} list. Read with
     * two patterns rather than a JSON library, which the starter does not depend on: the file is the configuration
     * processor's, one object per property, nested at most one level (a deprecation).
     */
    private void read(URL resource) throws IOException {
        String json;
        try (InputStream in = resource.openStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher section = PROPERTIES.matcher(json);
        if (!section.find()) {
            return;
        }
        Matcher entry = ENTRY.matcher(json);
        entry.region(section.end(), json.length());
        while (entry.find() && entry.group().charAt(0) == '{') {
            Matcher name = NAME.matcher(entry.group());
            if (name.find() && (name.group(1).startsWith("gtcp.pool.") || name.group(1).startsWith("gtcp.server."))) {
                this.keys.add(name.group(1));
                Matcher typeMatcher = TYPE.matcher(entry.group());
                String type = typeMatcher.find() ? typeMatcher.group(1) : "";
                if (type.startsWith("java.util.Map")) {
                    this.openPrefixes.add(name.group(1));
                }
                else if (type.matches("java\\.util\\.(List|Set|Collection)(<.*)?") || type.endsWith("[]")) {
                    this.lists.add(name.group(1));
                }
            }
        }
    }

    /** Levenshtein distance: the edits that turn one key into the other. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
