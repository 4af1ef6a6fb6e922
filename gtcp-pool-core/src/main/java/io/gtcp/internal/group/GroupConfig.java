package io.gtcp.internal.group;

import io.gtcp.AddressResolver;
import io.gtcp.EndpointSource;
import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;

import java.util.List;

/**
 * What a factory's endpoint group is made of, as the builder checked it: the static entries ({@code "host:port"},
 * a host name standing for every address it resolves to) or a dynamic source, and how the group balances, ejects
 * and refreshes. {@code entries} is empty when there is a source or no group at all.
 */
public record GroupConfig(List<String> entries, EndpointSource source, LoadBalancing loadBalancing,
                          OutlierEjection outlierEjection, AddressResolver resolver, long refreshEveryNanos) {

    /** Whether the factory has a group ({@code get()} works) at all. */
    public boolean isConfigured() {
        return !entries.isEmpty() || source != null;
    }
}
