package io.gtcp.internal.group;

import io.gtcp.internal.io.DialAbort;
import io.gtcp.internal.io.Dialer;
import io.gtcp.internal.io.Link;
import io.gtcp.internal.io.Resolver;

import java.io.IOException;
import java.net.InetSocketAddress;

import javax.net.ssl.SSLContext;

/**
 * One dial of a group's endpoint made only to see whether it works, for a health check: the same dial as a
 * borrow's (the address the group resolved with the pool's resolver, the host name TLS verifies, the handshake),
 * all of it by one deadline, and the connection closed at once. It goes around the endpoint's pool, so it is
 * neither pooled nor counted as a success or failure of the endpoint: a health check must not eject anybody.
 */
public final class EndpointCheck {

    private EndpointCheck() {
    }

    /** Dials {@code endpoint} of {@code group} by {@code deadline} (a {@link System#nanoTime()} value) and closes it. */
    public static void dial(EndpointGroup group, String endpoint, long deadline, SSLContext tls) throws IOException {
        EndpointAddress address = group.endpoint(endpoint);
        if (address == null) {
            throw new IOException("'" + endpoint + "' is no endpoint of the group");
        }
        InetSocketAddress target = address.target() != null ? address.target()
                : Resolver.resolve(address.address(), deadline); // an IP entry: no name to look up
        Link link = Dialer.connectBy(address.dialAs(), target, deadline, tls, DialAbort.NEVER);
        link.close();
    }
}
