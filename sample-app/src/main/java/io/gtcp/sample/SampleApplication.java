package io.gtcp.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The two examples of GoFrame gtcp's connection-pool documentation, and a third of this project's own, as a Spring
 * Boot application: the {@link SampleServer} and, talking to it through the starter's pooled
 * {@code PoolConnFactory}, the {@link SampleClient}. Run with {@code --gtcp.sample.example=2} for the server that
 * closes after each reply, {@code --gtcp.sample.example=3} for a group of three servers, one of which goes away
 * and comes back, {@code --gtcp.sample.count=N} to exit after N exchanges.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) throws InterruptedException {
        ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class, args);
        SampleClient client = context.getBean(SampleClient.class);
        if (client.isBounded()) {
            client.awaitCompletion();
            System.exit(SpringApplication.exit(context));
        }
    }
}
