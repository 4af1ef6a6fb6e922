package io.gtcp.spring.boot.autoconfigure.server;

import io.gtcp.TcpServer;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;

/**
 * How Spring Cloud's auto-registration learns the port to register: it takes it from Boot's
 * {@link WebServerInitializedEvent} and then registers. For an application whose only server is gtcp, the starter
 * hands this event, the gtcp server seen as the application's server, to the registration alone (it is never
 * published), so that the instance is registered at the gtcp port as it would be at a web server's.
 */
final class GtcpServerRegistrationEvent extends WebServerInitializedEvent {

    private static final long serialVersionUID = 1L;

    GtcpServerRegistrationEvent(TcpServer server) {
        super(new GtcpServerView(server));
    }

    /** No web application context: the registration then treats the server as the application's main one. */
    @Override
    public WebServerApplicationContext getApplicationContext() {
        return null;
    }

    /** The gtcp server's port, as a {@link WebServer} the registration can read; it starts and stops nothing. */
    private record GtcpServerView(TcpServer server) implements WebServer {

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public int getPort() {
            return this.server.port();
        }
    }
}
