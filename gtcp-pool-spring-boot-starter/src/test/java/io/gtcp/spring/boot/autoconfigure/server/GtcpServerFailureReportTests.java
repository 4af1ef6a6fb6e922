package io.gtcp.spring.boot.autoconfigure.server;

import io.gtcp.PkgHandler;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What a person sees when the server cannot start: Boot's "APPLICATION FAILED TO START" report from the starter's
 * failure analyzer (registered in {@code META-INF/spring.factories}), naming the beans or the property.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class GtcpServerFailureReportTests {

    @Test
    void twoHandlersAreNamedInTheReport(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TwoHandlers.class)
            .web(WebApplicationType.NONE)
            .run("--gtcp.server.address=127.0.0.1:0", "--spring.main.banner-mode=off"));
        assertThat(failure).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("'orders' (PkgHandler)")
            .contains("'billing' (PkgHandler)")
            .contains("Action:");
    }

    @Test
    void noHandlerNamesTheAddressInTheReport(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(NoHandler.class)
            .web(WebApplicationType.NONE)
            .run("--gtcp.server.address=127.0.0.1:0", "--spring.main.banner-mode=off"));
        assertThat(failure).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("gtcp.server.address=127.0.0.1:0")
            .contains("no PkgHandler or ConnHandler bean");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TwoHandlers {

        @Bean
        PkgHandler orders() {
            return (request) -> request;
        }

        @Bean
        PkgHandler billing() {
            return (request) -> request;
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class NoHandler {

    }
}
