package io.gtcp.bench.spring;

import org.springframework.integration.annotation.MessagingGateway;

/** The messaging gateway Spring Integration users call: a request payload in, the reply payload out. */
@MessagingGateway(defaultRequestChannel = SpringIntegrationWiring.REQUESTS)
public interface TcpGateway {

    byte[] exchange(byte[] payload);
}
