package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SDK's main code uses the JDK, Jackson, slf4j and {@code switchboard-wire}, never the server's
 * modules: its tests have them on the class path, so the compiler alone would not notice.
 */
class DependencyRuleTest {

    @Test
    void mainCodeImportsNoServerModule() throws IOException {
        Path main = Path.of("src/main/java");
        List<String> offending;
        try (Stream<Path> files = Files.walk(main)) {
            offending = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).matches("(?s).*\\bdev\\.switchboard\\.(core|redis|server)\\b.*"))
                    .map(Path::toString)
                    .collect(Collectors.toList());
        }
        assertThat(main).isDirectory();
        assertThat(offending).isEmpty();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
