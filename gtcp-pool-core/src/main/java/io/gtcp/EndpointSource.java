package io.gtcp;

import java.io.IOException;
import java.util.List;

/**
 * A dynamic group: where the endpoints of a {@link PoolConnFactory} come from when they change at run time
 * (service discovery). Polled once when the factory is built and then every {@code refreshEvery}; a poll that
 * throws keeps the previous endpoints.
 */
@FunctionalInterface
public interface EndpointSource {

    /** The {@code "host:port"} entries of the group now; a host name may stand for several endpoints. */
    List<String> endpoints() throws IOException;
}
