package io.gtcp.sample;

import io.gtcp.Gtcp;
import io.gtcp.sample.SampleProperties.Role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the client at the sample server: unless {@code gtcp.pool.address} is set, it defaults to
 * {@code 127.0.0.1:<gtcp.sample.port>} (example 3's group, built from the same port, replaces it).
 *
 * <p>The starter builds the pool from {@code gtcp.pool.*} while the context is created, before any server
 * listens, so with {@code gtcp.sample.port=0} the port is chosen here, before the context exists
 * ({@link Gtcp#freePort()}), and both the servers and the pool's addresses use that port. Another process could in
 * principle take the port between this choice and the server's bind; the server then fails to start, loudly.
 * Environment post-processors run at start-up in an AOT-processed application too, so this choice stays a run-time
 * one. And unless {@code gtcp.server.address} is set, the starter's server listens on the sample's address in
 * example 5 and on a free port of 127.0.0.1 otherwise: it is set in every run, also when Spring AOT processes the
 * build, so that the starter's server is part of the AOT-processed context.
 */
public final class SampleEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String PROPERTY_SOURCE = "gtcpSample";
    static final String DEFAULTS_PROPERTY_SOURCE = "gtcpSampleDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        Role role = binder.bind("gtcp.sample.role", Role.class).orElse(Role.BOTH);
        int port = binder.bind("gtcp.sample.port", Integer.class).orElse(SampleProperties.DEFAULT_PORT);
        int example = binder.bind("gtcp.sample.example", Integer.class).orElse(1);
        boolean group = example == 3 || example == 4;
        boolean addressSet = binder.bind("gtcp.pool.address", String.class).isBound();
        if (port == 0 && role.runsServer()) {
            port = freePort();
            environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE,
                    Map.of("gtcp.sample.port", port)));
        } else if (port == 0 && group) {
            throw new IllegalArgumentException(
                    "gtcp.sample.role=client with gtcp.sample.example=" + example
                            + " needs the servers' port: set gtcp.sample.port");
        } else if (port == 0 && !addressSet) {
            throw new IllegalArgumentException(
                    "gtcp.sample.role=client needs the server's address: set gtcp.pool.address or gtcp.sample.port");
        }
        Map<String, Object> defaults = new java.util.HashMap<>();
        if (!addressSet) {
            defaults.put("gtcp.pool.address", "127.0.0.1:" + port);
        }
        if (example == 4) { // the point of example 4; --gtcp.pool.idempotent=false shows what it saves
            defaults.put("gtcp.pool.idempotent", true);
        }
        if (!binder.bind("gtcp.server.address", String.class).isBound()) {
            // example 5 serves on the sample's port through the starter; the others leave its server on a free port
            defaults.put("gtcp.server.address", "127.0.0.1:" + (example == 5 && role.runsServer() ? port : 0));
        }
        if (!defaults.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS_PROPERTY_SOURCE, defaults));
        }
    }

    private static int freePort() {
        try {
            return Gtcp.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the sample server: " + e.getMessage(), e);
        }
    }
}
