/**
 * gtcp-pool's core: pooled TCP connections and GoFrame gtcp's package protocol. Only {@code io.gtcp} is
 * exported; {@code io.gtcp.internal.*} (the I/O of one connection, one address's pool, the endpoint group) is the machinery behind it and may change in any release.
 */
module io.gtcp {
    requires org.slf4j;

    exports io.gtcp;
}
