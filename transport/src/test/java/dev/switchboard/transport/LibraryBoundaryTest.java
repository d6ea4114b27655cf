package dev.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's walls, which the compiler cannot see because tests and the application put more
 * on the class path: no import of the application, and the optional Redis engine named in one
 * class only, so a memory-only embedder never loads it.
 */
class LibraryBoundaryTest {

    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void mainCodeImportsNothingOfTheApplication() throws IOException {
        assertThat(filesMatching("(?s).*\\bimport (static )?(dev\\.switchboard\\.server|picocli|org\\.yaml"
                        + "|com\\.fasterxml\\.jackson\\.dataformat)\\b.*"))
                .isEmpty();
    }

    @Test
    void onlyRedisSupportNamesTheOptionalRedisEngine() throws IOException {
        // A class of the engine (an import or a qualified name), not the package named in prose.
        assertThat(filesMatching("(?s).*\\bdev\\.switchboard\\.redis\\.[A-Z*].*"))
                .containsExactly(MAIN.resolve("dev/switchboard/transport/RedisSupport.java")
                        .toString());
    }

    @Test
    void lettuceIsNamedOnlyWhereTheRedisEngineIsLoaded() throws IOException {
        // RedisCommandMeters implements Lettuce's latency hook; only RedisSupport's Connector loads it.
        assertThat(filesMatching("(?s).*\\bio\\.lettuce\\b.*"))
                .containsExactly(MAIN.resolve("dev/switchboard/transport/RedisCommandMeters.java")
                        .toString());
        assertThat(read(MAIN.resolve("dev/switchboard/transport/ServerMeters.java")))
                .doesNotContain("RedisCommandMeters");
    }

    private static List<String> filesMatching(String regex) throws IOException {
        assertThat(MAIN).isDirectory();
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).matches(regex))
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
