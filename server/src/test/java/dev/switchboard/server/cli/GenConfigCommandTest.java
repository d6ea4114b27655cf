package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.DevSecrets;
import dev.switchboard.transport.config.ConfigAssertions;
import dev.switchboard.transport.config.ServerConfig;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenConfigCommandTest {

    @TempDir
    Path work;

    @Test
    void writesASampleThatParsesBackToTheDefaultsPlusFreshSecrets() {
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("genconfig")).isZero();
        Path file = work.resolve(GenConfigCommand.DEFAULT_FILE);
        ServerConfig parsed = ConfigLoader.load(file, Map.of());
        assertThat(parsed.token().hmacSecret()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(parsed.apiKey()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(DevSecrets.needed(parsed)).isFalse();

        ServerConfig withoutSecrets = parsed.toBuilder()
                .token(parsed.token().toBuilder().hmacSecret(null).build())
                .apiKey(null)
                .build();
        ConfigAssertions.assertSameSettings(withoutSecrets, ServerConfig.defaults());
    }

    @Test
    void neverPrintsTheSecrets() {
        CliRunner cli = new CliRunner(work);
        cli.run("genconfig", "my.yaml");
        ServerConfig parsed = ConfigLoader.load(work.resolve("my.yaml"), Map.of());
        assertThat(cli.out())
                .contains("wrote my.yaml")
                .doesNotContain(parsed.token().hmacSecret())
                .doesNotContain(parsed.apiKey());
    }

    @Test
    void eachRunGeneratesNewSecrets() {
        new CliRunner(work).run("genconfig", "a.yaml");
        new CliRunner(work).run("genconfig", "b.yaml");
        assertThat(ConfigLoader.load(work.resolve("a.yaml"), Map.of()).token().hmacSecret())
                .isNotEqualTo(ConfigLoader.load(work.resolve("b.yaml"), Map.of())
                        .token()
                        .hmacSecret());
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        Path file = Files.writeString(work.resolve("switchboard.yaml"), "port: 1234\n");
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("genconfig")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("already exists").contains("--force");
        assertThat(Files.readString(file)).isEqualTo("port: 1234\n");

        assertThat(new CliRunner(work).run("genconfig", "--force")).isZero();
        assertThat(ConfigLoader.load(file, Map.of()).port()).isEqualTo(8000);
    }

    @Test
    void fileIsReadableByItsOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        new CliRunner(work).run("genconfig", "sub/dir/sb.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("sub/dir/sb.yaml"))))
                .isEqualTo("rw-------");
    }

    @Test
    void generatedFilePassesCheckconfig() {
        new CliRunner(work).run("genconfig");
        CliRunner check = new CliRunner(work);
        assertThat(check.run("checkconfig", "--config", "switchboard.yaml")).isZero();
        assertThat(check.out()).startsWith("config OK");
    }
}
