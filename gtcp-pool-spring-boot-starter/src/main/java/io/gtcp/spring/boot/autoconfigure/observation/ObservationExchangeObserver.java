package io.gtcp.spring.boot.autoconfigure.observation;

import io.gtcp.ExchangeObserver;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.io.EOFException;
import java.net.SocketTimeoutException;

/**
 * Makes each request/response exchange on a pooled connection ({@code sendRecv*}, {@code sendRecvPkg*}) a
 * Micrometer {@link Observation} named {@value #NAME}: timed by the registry's handlers (a timer with Boot's
 * metrics, a span with tracing), with the low-cardinality keys {@code pool}, {@code address} and {@code outcome}
 * ({@code SUCCESS}, {@code TIMEOUT}, {@code EOF}, {@code ERROR}). The observation's scope is open during the
 * exchange, so that a trace context reaches whatever the exchange logs.
 *
 * <p>It sits behind the core's {@link ExchangeObserver} SPI so that the core needs no Micrometer; with a no-op
 * registry it hands out the core's shared no-op exchange and costs nothing more.
 */
public final class ObservationExchangeObserver implements ExchangeObserver {

    /** The name of the observation of one exchange. */
    public static final String NAME = "gtcp.client.requests";

    private final ObservationRegistry registry;

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
            .lowCardinalityKeyValue("address", address)
            .start();
        Observation.Scope scope = observation.openScope();
        return (failure) -> {
            observation.lowCardinalityKeyValue("outcome", outcome(failure));
            if (failure != null) {
                observation.error(failure);
            }
            scope.close();
            observation.stop();
        };
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
