package io.github.dropin.keycloak.it.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's documentation pages, found from the repository root the build passes in. */
public final class DocPages {

    public static final Path ROOT = Path.of(System.getProperty("dropin.repoRoot", "..")).toAbsolutePath().normalize();

    private DocPages() {
    }

    /** README.md, every page under docs/, and the READMEs of integration-tests/ and benchmark/, sorted. */
    public static List<Path> all() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list docs/", e);
        }
        for (String readme : List.of("benchmark/README.md", "integration-tests/README.md")) {
            if (Files.exists(ROOT.resolve(readme))) {
                pages.add(ROOT.resolve(readme));
            }
        }
        return pages;
    }

    /** {@code page} relative to the repository root, with forward slashes. */
    public static String relative(Path page) {
        return ROOT.relativize(page.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
