package io.gtcp.internal.group;

import java.net.InetSocketAddress;

/**
 * What one endpoint of a group is: the name its pool goes by, the name its dial presents, and the IP it dials.
 *
 * <p>They are three because a host name may stand for several servers. Its endpoint {@code 10.0.0.2:9000} is
 * named by the IP (stats, events and meters tell the servers apart) and dials that IP, but TLS must verify the
 * host name the user configured ({@code orders.internal}), not the IP, which the certificate rarely names. An
 * endpoint is identified by all three: if a name comes to resolve to another IP, that is another endpoint, and the
 * old one is drained rather than silently redirected.
 *
 * @param address the endpoint's name: {@code ip:port} (for an IP entry, the entry as written), whatever the
 *                number of addresses its host name resolved to
 * @param dialAs  the configured {@code host:port} whose host TLS verifies
 * @param target  the resolved address to dial; null to resolve {@code address} when dialling (an IP entry, which
 *                needs no name service)
 */
public record EndpointAddress(String address, String dialAs, InetSocketAddress target) {

    /** An endpoint given as an IP literal: named, verified and dialled as written. */
    static EndpointAddress literal(String entry) {
        return new EndpointAddress(entry, entry, null);
    }
}
