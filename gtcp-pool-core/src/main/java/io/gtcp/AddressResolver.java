package io.gtcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns the host of a group entry into the IP addresses to dial: each address becomes one endpoint. The default
 * is {@link InetAddress#getAllByName}; plug in another to use your own DNS client, or a fixed map in tests.
 * Called when the factory is built and then on its refresh thread, never on a borrower's.
 */
@FunctionalInterface
public interface AddressResolver {

    /** The addresses of {@code host} now; never empty (no address is an {@link UnknownHostException}). */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver, {@link InetAddress#getAllByName}, with its cache. */
    static AddressResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
