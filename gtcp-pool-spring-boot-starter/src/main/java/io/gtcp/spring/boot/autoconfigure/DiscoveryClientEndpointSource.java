package io.gtcp.spring.boot.autoconfigure;

import io.gtcp.EndpointSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * The instances of one service in Spring Cloud Commons' {@link DiscoveryClient} (Consul, Eureka, Kubernetes, the
 * simple properties client…) as a pool's endpoint group: {@code host:port} of each instance, asked anew at every
 * poll; an instance whose metadata has the entry {@code port-metadata-key} ({@code gtcp-port} by default: what the
 * starter's server registers) is reached at that port instead of its registered one. The client is looked up at poll time, not when the pool is built, so that the pool does not depend on
 * the order in which Spring creates the discovery beans; no client, or a client that fails, is an
 * {@link IOException}, and the core then keeps the endpoints it had.
 */
final class DiscoveryClientEndpointSource implements EndpointSource {

    private final ObjectProvider<DiscoveryClient> discoveryClient;

    private final String serviceId;

    private final String portMetadataKey;

    DiscoveryClientEndpointSource(ObjectProvider<DiscoveryClient> discoveryClient, String serviceId) {
        this(discoveryClient, serviceId, null);
    }

    /** {@code portMetadataKey} null or empty: every instance at its registered port. */
    DiscoveryClientEndpointSource(ObjectProvider<DiscoveryClient> discoveryClient, String serviceId,
            String portMetadataKey) {
        this.discoveryClient = discoveryClient;
        this.serviceId = serviceId;
        this.portMetadataKey = (portMetadataKey != null && !portMetadataKey.isBlank()) ? portMetadataKey : null;
    }

    @Override
    public List<String> endpoints() throws IOException {
        DiscoveryClient client = this.discoveryClient.getIfAvailable();
        if (client == null) {
            throw new IOException("no DiscoveryClient bean to look up service '" + this.serviceId + "'");
        }
        List<ServiceInstance> instances;
        try {
            instances = client.getInstances(this.serviceId);
        }
        catch (RuntimeException ex) {
            throw new IOException("discovery of service '" + this.serviceId + "' failed: " + ex.getMessage(), ex);
        }
        List<String> endpoints = new ArrayList<>(instances.size());
        for (ServiceInstance instance : instances) {
            String host = instance.getHost();
            String port = port(instance);
            endpoints.add((host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]:" + port
                    : host + ":" + port);
        }
        return endpoints;
    }

    /**
     * The metadata's port when the instance has one under the key, as it is (a malformed value makes a malformed
     * entry, which the core leaves out and reports), else the registered port.
     */
    private String port(ServiceInstance instance) {
        if (this.portMetadataKey != null) {
            java.util.Map<String, String> metadata = instance.getMetadata();
            String port = (metadata != null) ? metadata.get(this.portMetadataKey) : null;
            if (port != null && !port.isBlank()) {
                return port.trim();
            }
        }
        return String.valueOf(instance.getPort());
    }

    @Override
    public String toString() {
        return "DiscoveryClient service '" + this.serviceId + "'";
    }
}
