package io.gtcp.spring.boot.autoconfigure.server;

import io.gtcp.PkgHandler;

/**
 * Wraps the application's {@link PkgHandler} before the starter's server runs it: how the observation
 * auto-configuration makes each exchange an observation without the server's configuration knowing Micrometer.
 */
@FunctionalInterface
public interface GtcpServerHandlerDecorator {

    /** The handler the server named {@code server} (its bean name) runs instead of {@code handler}. */
    PkgHandler decorate(String server, PkgHandler handler);
}
