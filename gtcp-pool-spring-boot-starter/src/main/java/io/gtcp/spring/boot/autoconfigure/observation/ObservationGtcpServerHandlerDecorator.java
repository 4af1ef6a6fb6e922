package io.gtcp.spring.boot.autoconfigure.observation;

import io.gtcp.PkgHandler;
import io.gtcp.spring.boot.autoconfigure.server.GtcpServerHandlerDecorator;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes each exchange of the starter's server as {@code gtcp.server.requests} (see {@link ObservedPkgHandler});
 * with a no-op registry it leaves the handler as it is.
 */
public final class ObservationGtcpServerHandlerDecorator implements GtcpServerHandlerDecorator {

    private final ObservationRegistry registry;

    public ObservationGtcpServerHandlerDecorator(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public PkgHandler decorate(String server, PkgHandler handler) {
        return this.registry.isNoop() ? handler : new ObservedPkgHandler(handler, server, this.registry);
    }
}
