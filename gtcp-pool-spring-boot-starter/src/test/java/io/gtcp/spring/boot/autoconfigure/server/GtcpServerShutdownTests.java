package io.gtcp.spring.boot.autoconfigure.server;

import io.gtcp.Conn;
import io.gtcp.PkgHandler;
import io.gtcp.TcpServer;
import io.gtcp.spring.boot.autoconfigure.health.GtcpServerHealthContributorAutoConfiguration;
import io.gtcp.spring.boot.autoconfigure.health.GtcpServerHealthIndicator;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The server in the application's lifecycle: closing the application drains it (graceful: the request being
 * served gets its reply, new dials are refused at once, health says OUT_OF_SERVICE meanwhile) or closes it at
 * once (immediate), before the application's other beans are destroyed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpServerShutdownTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtcpServerAutoConfiguration.class,
                GtcpServerHealthContributorAutoConfiguration.class))
        .withConfiguration(UserConfigurations.of(SlowHandler.class))
        .withPropertyValues("gtcp.server.address=127.0.0.1:0", "spring.lifecycle.timeout-per-shutdown-phase=20s");

    @Test
    void gracefulShutdownLetsTheRequestBeingServedFinishAndIsOutOfServiceMeanwhile() throws Exception {
        this.contextRunner.run((context) -> {
            SlowHandler handler = context.getBean(SlowHandler.class);
            TcpServer server = context.getBean(TcpServer.class);
            GtcpServerHealthIndicator health = context.getBean(GtcpServerHealthIndicator.class);
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
            assertThat(health.health(true).getDetails()).containsEntry("port", server.port());
            try (Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
                CompletableFuture<byte[]> reply = CompletableFuture.supplyAsync(() -> call(conn, "slow"));
                assertThat(handler.entered.await(10, TimeUnit.SECONDS)).isTrue();

                CompletableFuture<Void> closing = CompletableFuture.runAsync(
                        () -> ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close());
                await().atMost(Duration.ofSeconds(10)).until(server::isShuttingDown);
                assertThat(health.health(true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                assertThat(catchThrowable(() -> Conn.connect("127.0.0.1:" + server.port()).close()))
                    .as("new dials are refused at once").isInstanceOf(IOException.class);
                assertThat(closing).isNotDone();

                handler.release.countDown();
                assertThat(new String(reply.get(10, TimeUnit.SECONDS))).isEqualTo("slow");
                closing.get(10, TimeUnit.SECONDS);
                assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
                assertThat(handler.destroyedWhileServing).as("beans destroyed while the server still served").isFalse();
            }
        });
    }

    @Test
    void immediateShutdownClosesTheConnectionBeingServed() throws Exception {
        this.contextRunner.withPropertyValues("gtcp.server.shutdown=immediate").run((context) -> {
            SlowHandler handler = context.getBean(SlowHandler.class);
            TcpServer server = context.getBean(TcpServer.class);
            try (Conn conn = Conn.connect("127.0.0.1:" + server.port())) {
                CompletableFuture<byte[]> reply = CompletableFuture.supplyAsync(() -> call(conn, "slow"));
                assertThat(handler.entered.await(10, TimeUnit.SECONDS)).isTrue();
                ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
                assertThat(catchThrowable(() -> reply.get(10, TimeUnit.SECONDS))).hasRootCauseInstanceOf(
                        IOException.class);
                handler.release.countDown();
            }
        });
    }

    private static byte[] call(Conn conn, String request) {
        try {
            conn.setDeadline(java.time.Instant.now().plusSeconds(20));
            return conn.sendRecvPkg(request.getBytes());
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** Holds each request until released; notes whether it was destroyed while a request was in its hands. */
    @Configuration(proxyBeanMethods = false)
    static class SlowHandler implements org.springframework.beans.factory.DisposableBean {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        volatile boolean serving;

        volatile boolean destroyedWhileServing;

        @Bean
        PkgHandler slowHandler() {
            return (request) -> {
                this.serving = true;
                this.entered.countDown();
                this.release.await(30, TimeUnit.SECONDS);
                this.serving = false;
                return request;
            };
        }

        @Override
        public void destroy() {
            this.destroyedWhileServing |= this.serving;
        }
    }
}
