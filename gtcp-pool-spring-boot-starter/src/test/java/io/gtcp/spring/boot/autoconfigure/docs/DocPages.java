package io.gtcp.spring.boot.autoconfigure.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the tests find the repository's documentation: {@code README.md} and {@code docs/*.md}. */
final class DocPages {

    private DocPages() {
    }

    /** The repository's root: the first directory, from the module's, that holds {@code docs/README.md}. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/README.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/README.md above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** {@code README.md} and every page of {@code docs/}, relative to the root. */
    static List<String> pages(Path root) {
        List<String> pages = new ArrayList<>();
        pages.add("README.md");
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter((p) -> p.toString().endsWith(".md")).sorted()
                .forEach((p) -> pages.add("docs/" + p.getFileName()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return pages;
    }

    /** A page's text. */
    static String read(String page) {
        try {
            return Files.readString(root().resolve(page));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
