package io.gtcp.sample;

import io.gtcp.PoolConnFactory;
import io.gtcp.sample.SampleProperties.Role;

import java.util.function.Predicate;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The sample's two beans, each present when {@code gtcp.sample.role} asks for it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleProperties.class)
class SampleConfiguration {

    @Bean
    @Conditional(RunsServer.class)
    SampleServer sampleServer(SampleProperties properties) {
        return new SampleServer(properties);
    }

    @Bean
    @Conditional(RunsClient.class)
    SampleClient sampleClient(PoolConnFactory pool, SampleProperties properties) {
        return new SampleClient(pool, properties);
    }

    /** Matches when the role, bound as the properties bind it, passes the test. */
    abstract static class RoleCondition extends SpringBootCondition {

        private final Predicate<Role> test;
        private final String what;

        RoleCondition(Predicate<Role> test, String what) {
            this.test = test;
            this.what = what;
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Role role = Binder.get(context.getEnvironment()).bind("gtcp.sample.role", Role.class).orElse(Role.BOTH);
            String message = "gtcp.sample.role " + role + (test.test(role) ? " runs " : " does not run ") + what;
            return test.test(role) ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
        }
    }

    static final class RunsServer extends RoleCondition {
        RunsServer() {
            super(Role::runsServer, "the server");
        }
    }

    static final class RunsClient extends RoleCondition {
        RunsClient() {
            super(Role::runsClient, "the client");
        }
    }
}
