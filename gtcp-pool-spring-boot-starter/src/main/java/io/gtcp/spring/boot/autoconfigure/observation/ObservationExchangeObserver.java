package io.gtcp.spring.boot.autoconfigure.observation;

import io.gtcp.ExchangeObserver;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each request/response exchange on a pooled connection ({@code sendRecv*}, {@code sendRecvPkg*}) a
 * Micrometer {@link Observation} named {@value #NAME}: timed by the registry's handlers (a timer with Boot's
 * metrics, a span with tracing), with the low-cardinality keys {@code pool}, {@code address} and {@code outcome}
 * ({@code SUCCESS}, {@code TIMEOUT}, {@code EOF}, {@code ERROR}). The observation's scope is open during the
 * exchange, so that a trace context reaches whatever the exchange logs.
 *
 * <p>The core requires an observer not to throw; a handler of the registry may, so its exceptions are caught and
 * logged (WARN once) rather than failing an exchange whose reply arrived, or marking its connection broken.
 *
 * <p>It sits behind the core's {@link ExchangeObserver} SPI so that the core needs no Micrometer; with a no-op
 * registry it hands out the core's shared no-op exchange and costs nothing more.
 */
public final class ObservationExchangeObserver implements ExchangeObserver {

    /** The name of the observation of one exchange. */
    public static final String NAME = "gtcp.client.requests";

    private static final Logger log = LoggerFactory.getLogger(ObservationExchangeObserver.class);

    private final ObservationRegistry registry;

    private final AtomicBoolean warned = new AtomicBoolean();

    public ObservationExchangeObserver(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Exchange start(String pool, String address) {
        if (this.registry.isNoop()) {
            return Exchange.NONE;
        }
        Observation observation = Observation.createNotStarted(NAME, this.registry)
            .contextualName("gtcp exchange " + address)
            .lowCardinalityKeyValue("pool", pool)
            .lowCardinalityKeyValue("address", address);
        Observation.Scope scope;
        try {
            observation.start();
            scope = observation.openScope();
        }
        catch (RuntimeException ex) { // a handler's bug must not fail the exchange (the core's contract: no throw)
            handlerFailed(ex);
            return Exchange.NONE;
        }
        return (failure) -> end(observation, scope, failure);
    }

    private void end(Observation observation, Observation.Scope scope, Throwable failure) {
        try {
            observation.lowCardinalityKeyValue("outcome", outcome(failure));
            if (failure != null) {
                observation.error(failure);
            }
            scope.close();
            observation.stop();
        }
        catch (RuntimeException ex) { // the reply arrived: a handler's bug must not turn it into a failure
            handlerFailed(ex);
        }
    }

    /** Once at WARN (a handler that fails, fails at every exchange), then at DEBUG. */
    private void handlerFailed(RuntimeException ex) {
        if (this.warned.compareAndSet(false, true)) {
            log.warn("An observation handler failed on {}; the exchange goes on unobserved", NAME, ex);
        }
        else {
            log.debug("An observation handler failed on {}", NAME, ex);
        }
    }

    /** SUCCESS, TIMEOUT, EOF or ERROR: what ended the exchange. */
    static String outcome(Throwable failure) {
        if (failure == null) {
            return "SUCCESS";
        }
        if (failure instanceof SocketTimeoutException) {
            return "TIMEOUT";
        }
        if (failure instanceof EOFException) {
            return "EOF";
        }
        return "ERROR";
    }

    @Override
    public String toString() {
        return "ObservationExchangeObserver[" + NAME + "]";
    }
}
