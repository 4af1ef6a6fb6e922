package io.gtcp.group;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gtcp.AddressResolver;
import io.gtcp.EndpointStatus;
import io.gtcp.LoadBalancing;
import io.gtcp.OutlierEjection;
import io.gtcp.PoolConnFactory;
import io.gtcp.RetryBudget;
import io.gtcp.testing.Closer;
import io.gtcp.testing.RawPeer;
import io.gtcp.testing.TestTls;
import io.gtcp.testing.ThreeServers;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failed dial inside {@code get()} moves on to the next endpoint; the caller sees a failure only from all. The
 * retry budget is unlimited here: how it limits failover dials is {@code io.gtcp.fleet.DeadFleetTest}'s subject.
 */
@Timeout(value = 30, unit = SECONDS)
class FailoverInsideGetTest {

    @AutoClose
    final Closer closer = new Closer();

    @ParameterizedTest
    @EnumSource(LoadBalancing.class)
    void aRefusedEndpointNeverSurfacesWhileAnotherIsUp(LoadBalancing policy) throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        servers.stop(1);
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().retryBudget(RetryBudget.unlimited()).addresses(servers.addresses())
                .loadBalancing(policy).outlierEjection(OutlierEjection.disabled()).build());

        for (int i = 0; i < 150; i++) {
            assertThat(Calls.call(pool)).isNotEqualTo(servers.address(1));
        }

        EndpointStatus refused = pool.endpoints().get(1);
        assertThat(refused.ejected()).isFalse();
        if (policy == LoadBalancing.ROUND_ROBIN) { // failover never gets past the first, which works
            assertThat(refused.consecutiveFailures()).as("dials refused by the stopped server").isGreaterThan(10);
        } else if (policy == LoadBalancing.LEAST_BUSY) { // a failing endpoint loses the draw for a second
            assertThat(refused.consecutiveFailures()).as("dials refused by the stopped server").isPositive();
        }
    }

    @Test
    void whenEveryEndpointFailsTheFirstFailureIsThrownWithTheOthersSuppressed() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().retryBudget(RetryBudget.unlimited()).addresses(servers.addresses())
                .loadBalancing(LoadBalancing.FAILOVER).build());
        servers.close();

        assertThatThrownBy(() -> pool.get())
                .isInstanceOf(ConnectException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2)
                        .allSatisfy(s -> assertThat(s).isInstanceOf(ConnectException.class)));
        assertThat(pool.endpoints()).allSatisfy(s -> assertThat(s.consecutiveFailures()).isEqualTo(1));
    }

    @Test
    void whenEveryEndpointIsEjectedGetStillTriesThem() throws IOException {
        ThreeServers servers = closer.using(ThreeServers.plain());
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().retryBudget(RetryBudget.unlimited()).addresses(servers.addresses())
                .outlierEjection(new OutlierEjection(1, Duration.ofSeconds(20), 100)).build());
        servers.close();
        assertThatThrownBy(() -> pool.get()).isInstanceOf(ConnectException.class);
        assertThat(pool.endpoints()).allSatisfy(s -> assertThat(s.ejected()).isTrue());

        servers.restart(2);

        assertThat(Calls.call(pool)).isEqualTo(servers.address(2)); // ejected for 20 s, yet tried at once
    }

    @Test
    void aTimedOutDialMovesOnAfterTheConnectTimeout() throws IOException {
        // a peer that accepts but never answers the TLS handshake: the dial times out (the connect timeout
        // bounds the handshake), as with a server that hangs
        RawPeer silent = closer.using(RawPeer.start(RawPeer::discardUntilEof));
        ThreeServers servers = closer.using(ThreeServers.tls(TestTls.server("server.p12")));
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().retryBudget(RetryBudget.unlimited())
                .addresses("127.0.0.1:" + silent.port(), servers.address(0)).sslContext(TestTls.client())
                .loadBalancing(LoadBalancing.FAILOVER).connectTimeout(Duration.ofMillis(300)).build());

        assertThat(Calls.call(pool)).isEqualTo(servers.address(0));
        assertThat(pool.endpoints().get(0).consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void tlsVerifiesTheConfiguredHostNameOnEveryAddressItResolvesTo() throws IOException {
        // the server's certificate names localhost and 127.0.0.1, not 127.0.0.2: a dial to 127.0.0.2 that
        // verified the IP would fail its handshake
        ThreeServers servers = closer.using(ThreeServers.tls(TestTls.server("server.p12")));
        AddressResolver resolver = host -> {
            if (!host.equals("localhost")) {
                throw new UnknownHostException(host);
            }
            return List.of(servers.ip(0), servers.ip(1));
        };
        PoolConnFactory pool = closer.using(PoolConnFactory.builder().retryBudget(RetryBudget.unlimited()).addresses("localhost:" + servers.port())
                .resolver(resolver).sslContext(TestTls.client()).loadBalancing(LoadBalancing.ROUND_ROBIN)
                .refreshEvery(Duration.ZERO).build());

        assertThat(pool.endpoints()).extracting(EndpointStatus::address)
                .containsExactly(servers.address(0), servers.address(1));
        for (int i = 0; i < 4; i++) {
            Calls.call(pool);
        }
        assertThat(servers.served(0)).isEqualTo(2);
        assertThat(servers.served(1)).isEqualTo(2);
    }
}
