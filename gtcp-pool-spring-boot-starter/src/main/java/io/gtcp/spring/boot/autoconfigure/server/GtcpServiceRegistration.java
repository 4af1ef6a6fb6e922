package io.gtcp.spring.boot.autoconfigure.server;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.discovery.event.InstancePreRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.AbstractAutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Puts the starter's server into the application's service registry (Spring Cloud's auto-registration: ZooKeeper,
 * Consul, Eureka…), so that clients with {@code gtcp.pool.discovery.service-id} find it.
 *
 * <p>Why the starter does it: Spring Cloud registers an application only when a web server starts (its
 * {@code AbstractAutoServiceRegistration} starts on the {@code WebServerInitializedEvent}), so an application
 * that serves gtcp alone would never be registered. This lifecycle starts after every server (web or gtcp) and,
 * if the registration is not running by then (no web server started it, and the application did not either),
 * starts it the way a web server would, at the gtcp server's port (see {@link GtcpServerRegistrationEvent}). And
 * the registration's metadata gets {@value #PORT_KEY} = the gtcp server's port just before it is registered,
 * where the registry allows it (Eureka and Consul do; Spring Cloud Zookeeper's metadata is fixed by then): that
 * is where the starter's clients look first ({@code gtcp.pool.discovery.port-metadata-key}), so that an
 * application with both a web server and a gtcp server, registered at its web port, is still reached at its
 * gtcp port.
 *
 * <p>On shutdown it stops the registration (deregisters) before anything drains: it stops in a later phase than
 * the servers' graceful shutdown, so that clients see the instance leave the registry while it still serves the
 * requests on their way, instead of finding its port closed first.
 */
public class GtcpServiceRegistration implements SmartLifecycle, ApplicationListener<InstancePreRegisteredEvent> {

    /** The metadata entry that carries the gtcp port. */
    public static final String PORT_KEY = "gtcp-port";

    /** Starts after the web server and the gtcp server, stops before their graceful shutdown. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger log = LoggerFactory.getLogger(GtcpServiceRegistration.class);

    private final ObjectProvider<AbstractAutoServiceRegistration<?>> registrations;

    private final ObjectProvider<GtcpServerLifecycle> server;

    private volatile boolean running;

    /** Whether the registration was started here, at the gtcp port: the metadata is then only a repetition. */
    private volatile boolean registeredHere;

    /**
     * @param registrations Spring Cloud's auto-registration, if the application has exactly one
     * @param server        the starter's server, if it runs one (no server: nothing to do)
     */
    public GtcpServiceRegistration(ObjectProvider<AbstractAutoServiceRegistration<?>> registrations,
            ObjectProvider<GtcpServerLifecycle> server) {
        this.registrations = registrations;
        this.server = server;
    }

    @Override
    public void start() {
        this.running = true;
        AbstractAutoServiceRegistration<?> registration = this.registrations.getIfUnique();
        GtcpServerLifecycle server = this.server.getIfUnique();
        if (registration != null && server != null && !registration.isRunning()) {
            log.info("registering the gtcp server (port {}) with the service registry: no web server did",
                    server.getServer().port());
            this.registeredHere = true;
            registration.onApplicationEvent(new GtcpServerRegistrationEvent(server.getServer()));
        }
    }

    @Override
    public void stop() {
        this.running = false;
        AbstractAutoServiceRegistration<?> registration = this.registrations.getIfUnique();
        if (registration != null && this.server.getIfUnique() != null && registration.isRunning()) {
            log.info("deregistering from the service registry before the gtcp server drains");
            registration.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void onApplicationEvent(InstancePreRegisteredEvent event) {
        Registration registration = event.getRegistration();
        GtcpServerLifecycle server = this.server.getIfUnique();
        int port = (server != null) ? server.getServer().port() : -1;
        if (registration == null || port <= 0) {
            return;
        }
        Map<String, String> metadata = registration.getMetadata();
        try {
            metadata.put(PORT_KEY, String.valueOf(port));
        }
        catch (RuntimeException ex) { // an unmodifiable map: that registry's metadata cannot be added to here
            if (this.registeredHere) {
                log.debug("the registration's metadata takes no {} entry; the instance's port is the gtcp port",
                        PORT_KEY);
            }
            else {
                log.warn("cannot add {}={} to the metadata of this service registration ({}): the instance is "
                        + "registered at the web server's port, so clients find the gtcp port only if the registry's "
                        + "own metadata property has it (for example spring.cloud.zookeeper.discovery.metadata.{} "
                        + "with a fixed gtcp.server.address port)", PORT_KEY, port, ex.toString(), PORT_KEY);
            }
        }
    }
}
