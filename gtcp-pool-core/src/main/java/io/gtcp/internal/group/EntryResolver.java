package io.gtcp.internal.group;

import io.gtcp.AddressResolver;
import io.gtcp.internal.io.Addresses;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a group's {@code "host:port"} entries into its endpoints: an IP entry is one endpoint as written; a host
 * name is one endpoint per address the {@link AddressResolver} gives, named {@code ip:port} and verified (TLS)
 * under the host name.
 *
 * <p>Why it remembers: a name that fails to resolve (a DNS hiccup) keeps the endpoints of its last good answer,
 * so a resolver outage never empties a group that was working; a name that never resolved contributes nothing
 * yet.
 *
 * <p>Why an endpoint is always its {@code ip:port}, even the one address of a one-address answer: an endpoint's
 * identity must not depend on how many addresses the answer holds. Were a lone address named after the host, an
 * answer going from two addresses to one (or from one to two) would rename the address that stayed, and a
 * renamed endpoint is another endpoint: its healthy connections drained, its meters and stats restarted, new
 * dials made, all for a server that never changed.
 *
 * <p>Used by one thread at a time (the factory's constructor, then its refresh thread).
 */
final class EntryResolver {

    private final AddressResolver resolver;
    /** Each host-name entry's last good answer. */
    private final Map<String, List<EndpointAddress>> lastGood = new HashMap<>();

    EntryResolver(AddressResolver resolver) {
        this.resolver = resolver;
    }

    /** Whether {@code entry} names a host, which must be resolved (and resolved again on refresh). */
    static boolean needsResolving(String entry) {
        return !isIpLiteral(Addresses.host(entry));
    }

    /**
     * The endpoints of {@code entries}, in their order (an address given twice counts once). A name that does not
     * resolve keeps its last good answer; its failure is added to {@code failures}.
     *
     */
    List<EndpointAddress> resolve(List<String> entries, List<Exception> failures) {
        Set<String> seen = new LinkedHashSet<>();
        List<EndpointAddress> endpoints = new ArrayList<>();
        for (String entry : entries) {
            for (EndpointAddress e : resolveEntry(entry, failures)) {
                if (seen.add(e.address())) {
                    endpoints.add(e);
                }
            }
        }
        lastGood.keySet().retainAll(entries);
        return endpoints;
    }

    private List<EndpointAddress> resolveEntry(String entry, List<Exception> failures) {
        String host = Addresses.host(entry);
        if (isIpLiteral(host)) {
            return List.of(EndpointAddress.literal(entry));
        }
        int port = Addresses.port(entry);
        List<InetAddress> ips;
        try {
            ips = resolver.resolve(host);
            if (ips == null || ips.isEmpty()) {
                throw new UnknownHostException("the resolver gave no address for " + host);
            }
        } catch (UnknownHostException e) {
            failures.add(e);
            return lastGood.getOrDefault(entry, List.of());
        } catch (RuntimeException e) {
            failures.add(resolverFailed(host, e));
            return lastGood.getOrDefault(entry, List.of());
        }
        List<EndpointAddress> endpoints = new ArrayList<>(ips.size());
        for (InetAddress ip : ips) {
            if (ip == null) {
                continue;
            }
            InetSocketAddress target = new InetSocketAddress(ip, port);
            endpoints.add(new EndpointAddress(Addresses.format(target), entry, target));
        }
        List<EndpointAddress> answer = List.copyOf(endpoints);
        lastGood.put(entry, answer);
        return answer;
    }

    private static UnknownHostException resolverFailed(String host, RuntimeException cause) {
        UnknownHostException e = new UnknownHostException("resolving " + host + " failed: " + cause);
        e.initCause(cause);
        return e;
    }

    /** An IPv6 literal (the only hosts with a colon) or a dotted-quad IPv4 one: dialled without a name service. */
    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
