package io.gtcp.spring.boot.autoconfigure.observation;

import io.gtcp.PkgHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Makes each exchange of a server's {@link PkgHandler} (one request, one reply) a Micrometer {@link Observation}
 * named {@value #NAME}, with the low-cardinality keys {@code server} (the server's bean name) and {@code outcome}
 * ({@code SUCCESS}, or {@code ERROR} when the handler throws or returns no reply). The observation's scope is open
 * while the handler runs, so that what it logs carries the trace context. Only made for a registry that is not a
 * no-op (see {@link ObservationGtcpServerHandlerDecorator}), so a server without one pays nothing.
 */
final class ObservedPkgHandler implements PkgHandler {

    /** The name of the observation of one exchange of a server. */
    static final String NAME = "gtcp.server.requests";

    private final PkgHandler handler;

    private final String server;

    private final ObservationRegistry registry;

    ObservedPkgHandler(PkgHandler handler, String server, ObservationRegistry registry) {
        this.handler = handler;
        this.server = server;
        this.registry = registry;
    }

    @Override
    public byte[] handle(byte[] request) throws Exception {
        Observation observation = Observation.createNotStarted(NAME, this.registry)
            .contextualName("gtcp request " + this.server)
            .lowCardinalityKeyValue("server", this.server);
        observation.start();
        try (Observation.Scope scope = observation.openScope()) {
            byte[] reply = this.handler.handle(request);
            observation.lowCardinalityKeyValue("outcome", (reply != null) ? "SUCCESS" : "ERROR");
            return reply;
        }
        catch (Exception | Error ex) {
            observation.lowCardinalityKeyValue("outcome", "ERROR");
            observation.error(ex);
            throw ex;
        }
        finally {
            observation.stop();
        }
    }

    @Override
    public String toString() {
        return "ObservedPkgHandler[" + this.handler + "]";
    }
}
