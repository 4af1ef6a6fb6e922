package io.gtcp;

/**
 * One endpoint of a factory's group as it is now: for health checks, dashboards and tests.
 *
 * @param address             the endpoint, {@code ip:port} (a host name's endpoints too: one per address it resolves to)
 * @param ejected             whether outlier ejection has taken it out of rotation right now
 * @param consecutiveFailures failures in a row since its last completed operation
 * @param stats               its pool's statistics
 */
public record EndpointStatus(String address, boolean ejected, int consecutiveFailures, PoolStats stats) {
}
