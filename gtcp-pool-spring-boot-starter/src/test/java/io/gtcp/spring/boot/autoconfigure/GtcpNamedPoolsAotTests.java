package io.gtcp.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.InputStreamSource;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The named pools survive Spring AOT: their bean definitions become generated code (a factory method with a
 * constant argument, the qualifier, the default pool's {@code @Primary}) rather than failing as an instance
 * supplier would.
 */
class GtcpNamedPoolsAotTests {

    @Test
    void namedPoolDefinitionsAreGeneratedAheadOfTime() throws IOException {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            TestPropertyValues.of("gtcp.pools.orders.address=127.0.0.1:1").applyTo(context);
            context.register(GtcpPoolAutoConfiguration.class);
            InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get("com.example", "AotTestApplication")), files);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            generation.writeGeneratedContent();
            String sources = read(files.getGeneratedFiles(Kind.SOURCE));
            assertThat(sources).contains("\"ordersPoolConnFactory\"")
                .contains("forFactoryMethod(GtcpPoolConnFactories.class, \"create\", String.class)")
                .contains("new AutowireCandidateQualifier(\"org.springframework.beans.factory.annotation.Qualifier\", \"orders\")")
                .contains("setPrimary(true)");
        }
    }

    private static String read(Map<String, InputStreamSource> files) {
        return files.values().stream().map((source) -> {
            try (InputStream in = source.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }).collect(Collectors.joining("\n"));
    }
}
