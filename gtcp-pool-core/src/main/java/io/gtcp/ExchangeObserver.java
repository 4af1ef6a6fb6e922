package io.gtcp;

/**
 * Observes each request/response exchange ({@code sendRecv*}, {@code sendRecvPkg*}) on the pooled connections of
 * a {@link PoolConnFactory}: the hook behind tracing and per-exchange timing (the Spring Boot starter binds it to
 * Micrometer's {@code ObservationRegistry}), so that the core depends on no tracing library.
 *
 * <p>It is a pair of calls rather than a callback around the exchange so that the hot path allocates nothing of
 * its own: with the default {@link #NONE} an exchange costs one call that returns a shared constant.
 * {@link #start} runs on the caller's thread just before the request is written, {@link Exchange#end} on the same
 * thread once the reply arrived or the exchange failed. Both must be short and must not throw.
 */
public interface ExchangeObserver {

    /** Observes nothing: the default of every factory. */
    ExchangeObserver NONE = (pool, address) -> Exchange.NONE;

    /**
     * An exchange on a connection of {@code pool} (the factory's {@link PoolConnFactory#name() name}) to
     * {@code address} begins; the returned handle is told how it ended.
     */
    Exchange start(String pool, String address);

    /** One exchange under observation. */
    @FunctionalInterface
    interface Exchange {

        /** The handle of an exchange nobody observes. */
        Exchange NONE = failure -> { };

        /**
         * The exchange ended: {@code failure} is null when the reply arrived, else what ended it (an
         * {@link java.io.IOException} such as {@link java.net.SocketTimeoutException} or
         * {@link java.io.EOFException}, or an unchecked exception).
         */
        void end(Throwable failure);
    }
}
