package io.gtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core is the module {@code io.gtcp}: code on the module path sees the public API and nothing of
 * {@code io.gtcp.internal}. (The other tests run on the class path, where modules do not apply.)
 */
@Timeout(60)
class ModuleBoundaryTest {

    @TempDir
    Path work;

    @Test
    void aModuleSeesThePublicApi() throws Exception {
        String errors = compileApp("class Uses { io.gtcp.PoolConnFactory factory; io.gtcp.Conn conn; }");
        assertThat(errors).isEmpty();
    }

    @Test
    void aModuleCannotReachTheInternals() throws Exception {
        String errors = compileApp("class Reaches { io.gtcp.internal.io.Link link; }");
        assertThat(errors).contains("io.gtcp.internal").contains("not visible");
    }

    /** Compiles a module {@code app} that requires {@code io.gtcp}; returns javac's diagnostics. */
    private String compileApp(String type) throws IOException, URISyntaxException {
        Path sources = Files.createDirectories(work.resolve("src/app/app"));
        Files.writeString(work.resolve("src/app/module-info.java"), "module app { requires io.gtcp; }");
        Files.writeString(sources.resolve(type.split(" ")[1] + ".java"), "package app; " + type);
        Path core = Path.of(Conn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path slf4j = Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(core.resolve("module-info.class")).exists();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> options = List.of("-d", work.resolve("out").toString(),
                "--module-path", core + java.io.File.pathSeparator + slf4j,
                "--module-source-path", work.resolve("src").toString(), "-m", "app");
        boolean compiled = javac.getTask(diagnostics, null, null, options, null, null).call();
        assertThat(compiled).as(diagnostics.toString()).isEqualTo(diagnostics.toString().isEmpty());
        return diagnostics.toString();
    }
}
