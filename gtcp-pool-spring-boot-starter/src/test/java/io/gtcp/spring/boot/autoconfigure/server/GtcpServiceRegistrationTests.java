package io.gtcp.spring.boot.autoconfigure.server;

import io.gtcp.PkgHandler;
import io.gtcp.TcpServer;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.serviceregistry.AbstractAutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gtcp server in Spring Cloud's service registry, here a recording one: an application without a web server
 * is registered (Spring Cloud alone would not), with its gtcp port in the metadata, and deregistered before the
 * server drains; an application that starts the registration itself is registered once, as before.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GtcpServiceRegistrationTests {

    private final RecordingRegistry registry = new RecordingRegistry();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GtcpServerAutoConfiguration.class))
        .withBean(PkgHandler.class, () -> (request) -> request)
        .withBean(RecordingRegistry.class, () -> this.registry)
        .withBean(TestAutoServiceRegistration.class)
        .withPropertyValues("gtcp.server.address=127.0.0.1:0");

    @Test
    void aGtcpOnlyApplicationIsRegisteredWithItsPortAndDeregisteredBeforeItDrains() {
        this.contextRunner.run((context) -> {
            TcpServer server = context.getBean(TcpServer.class);
            assertThat(this.registry.events).containsExactly("register");
            assertThat(this.registry.registration.getMetadata()).containsEntry(GtcpServiceRegistration.PORT_KEY,
                    String.valueOf(server.port()));
            this.registry.server = server;
            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
            assertThat(this.registry.events).containsExactly("register", "deregister while listening");
        });
    }

    @Test
    void anApplicationThatStartsTheRegistrationItselfIsRegisteredOnce() {
        this.contextRunner
            .withBean(StartsRegistration.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(this.registry.events).containsExactly("register");
                assertThat(this.registry.registration.getMetadata())
                    .containsKey(GtcpServiceRegistration.PORT_KEY);
            });
    }

    @Test
    void autoRegistrationOffLeavesTheRegistryAlone() {
        this.contextRunner.withPropertyValues("spring.cloud.service-registry.auto-registration.enabled=false")
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(GtcpServiceRegistration.class);
                assertThat(this.registry.events).isEmpty();
            });
    }

    /** Starts the registration as soon as the context is refreshed, as an application might. */
    static class StartsRegistration implements ApplicationListener<ContextRefreshedEvent> {

        private final TestAutoServiceRegistration registration;

        StartsRegistration(TestAutoServiceRegistration registration) {
            this.registration = registration;
        }

        @Override
        public void onApplicationEvent(ContextRefreshedEvent event) {
            this.registration.start();
        }
    }

    static class RecordingRegistry implements ServiceRegistry<TestRegistration> {

        final List<String> events = new CopyOnWriteArrayList<>();

        final TestRegistration registration = new TestRegistration();

        volatile TcpServer server;

        @Override
        public void register(TestRegistration registration) {
            this.events.add("register");
        }

        @Override
        public void deregister(TestRegistration registration) {
            this.events.add((this.server != null && this.server.isListening()) ? "deregister while listening"
                    : "deregister");
        }

        @Override
        public void close() {
        }

        @Override
        public void setStatus(TestRegistration registration, String status) {
        }

        @Override
        public <T> T getStatus(TestRegistration registration) {
            return null;
        }
    }

    static class TestAutoServiceRegistration extends AbstractAutoServiceRegistration<TestRegistration> {

        private final RecordingRegistry registry;

        TestAutoServiceRegistration(ApplicationContext context, RecordingRegistry registry) {
            super(context, registry, new AutoServiceRegistrationProperties());
            this.registry = registry;
        }

        @Override
        protected Object getConfiguration() {
            return this.registry.registration;
        }

        @Override
        protected boolean isEnabled() {
            return true;
        }

        @Override
        protected TestRegistration getRegistration() {
            return this.registry.registration;
        }

        @Override
        protected TestRegistration getManagementRegistration() {
            return null;
        }
    }

    static class TestRegistration implements Registration {

        private final Map<String, String> metadata = new HashMap<>();

        @Override
        public String getServiceId() {
            return "orders";
        }

        @Override
        public String getHost() {
            return "127.0.0.1";
        }

        @Override
        public int getPort() {
            return 0;
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public URI getUri() {
            return URI.create("tcp://127.0.0.1:0");
        }

        @Override
        public Map<String, String> getMetadata() {
            return this.metadata;
        }
    }
}
