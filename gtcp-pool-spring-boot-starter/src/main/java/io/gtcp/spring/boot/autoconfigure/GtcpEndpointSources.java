package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.EndpointSource;

/**
 * Where {@code gtcp.pool.discovery.service-id} (and a named pool's) finds its endpoints: the starter provides one
 * over Spring Cloud Commons' {@code DiscoveryClient} when that is on the class path. An interface of its own so
 * that the starter's core configuration never touches a Spring Cloud type, and so that an application can plug in
 * another registry by defining a bean of this type.
 */
@FunctionalInterface
public interface GtcpEndpointSources {

    /** The endpoints of {@code serviceId}, polled by the factory when it is built and every refresh-every. */
    EndpointSource forService(String serviceId);

    /**
     * The endpoints of {@code serviceId}, each instance's port taken from its metadata {@code portMetadataKey}
     * when it has that entry (a gtcp port beside the instance's registered one); by default the key is ignored.
     */
    default EndpointSource forService(String serviceId, String portMetadataKey) {
        return forService(serviceId);
    }
}
