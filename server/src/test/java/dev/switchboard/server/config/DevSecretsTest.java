package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ServerConfig;
import dev.switchboard.transport.config.TokenConfig;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSecretsTest {

    @TempDir
    Path work;

    @Test
    void createsSecretsOnceThenReusesThem() {
        DevSecrets first = DevSecrets.loadOrCreate(work);
        assertThat(first.created()).isTrue();
        assertThat(first.file())
                .isEqualTo(work.resolve(".switchboard/dev-secrets.yaml").toAbsolutePath());
        assertThat(first.file()).exists();
        assertThat(first.hmacSecret()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(first.apiKey()).hasSizeGreaterThanOrEqualTo(32);

        DevSecrets second = DevSecrets.loadOrCreate(work);
        assertThat(second.created()).isFalse();
        assertThat(second.hmacSecret()).isEqualTo(first.hmacSecret());
        assertThat(second.apiKey()).isEqualTo(first.apiKey());
        assertThat(DevSecrets.read(work))
                .get()
                .extracting(DevSecrets::hmacSecret)
                .isEqualTo(first.hmacSecret());
    }

    @Test
    void differentDirectoriesGetDifferentSecrets(@TempDir Path other) {
        assertThat(DevSecrets.loadOrCreate(work).hmacSecret())
                .isNotEqualTo(DevSecrets.loadOrCreate(other).hmacSecret());
    }

    @Test
    void fileIsReadableByItsOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        DevSecrets dev = DevSecrets.loadOrCreate(work);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dev.file())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dev.file().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void fileIsItselfAValidConfig() {
        DevSecrets dev = DevSecrets.loadOrCreate(work);
        ServerConfig asConfig = ConfigLoader.load(dev.file(), Map.of());
        assertThat(asConfig.token().hmacSecret()).isEqualTo(dev.hmacSecret());
        assertThat(asConfig.apiKey()).isEqualTo(dev.apiKey());
    }

    @Test
    void readNeverCreates() {
        assertThat(DevSecrets.read(work)).isEmpty();
        assertThat(work.resolve(".switchboard")).doesNotExist();
    }

    @Test
    void neededOnlyWhenNoTokenKeyAndNoApiKey() {
        assertThat(DevSecrets.needed(ServerConfig.defaults())).isTrue();
        assertThat(DevSecrets.needed(ServerConfig.builder().apiKey("k").build()))
                .isFalse();
        assertThat(DevSecrets.needed(ServerConfig.builder()
                        .token(TokenConfig.builder().jwksFile("keys.json").build())
                        .build()))
                .isFalse();
    }

    @Test
    void applyToSetsSecretAndApiKeyAndKeepsTheRest() {
        DevSecrets dev = DevSecrets.loadOrCreate(work);
        ServerConfig base = ServerConfig.builder()
                .port(9999)
                .token(TokenConfig.builder().audience("aud").build())
                .build();
        ServerConfig applied = dev.applyTo(base);
        assertThat(applied.token().hmacSecret()).isEqualTo(dev.hmacSecret());
        assertThat(applied.token().audience()).isEqualTo("aud");
        assertThat(applied.apiKey()).isEqualTo(dev.apiKey());
        assertThat(applied.port()).isEqualTo(9999);
    }

    @Test
    void damagedFileIsAClearErrorNamingThePath() throws Exception {
        Path file = DevSecrets.fileIn(work);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "token: {}\n");
        assertThatThrownBy(() -> DevSecrets.loadOrCreate(work))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("delete it");
    }

    @Test
    void toStringShowsThePathNotTheValues() {
        DevSecrets dev = DevSecrets.loadOrCreate(work);
        assertThat(dev.toString())
                .contains(dev.file().toString())
                .doesNotContain(dev.hmacSecret())
                .doesNotContain(dev.apiKey());
    }

    @Test
    void unwritableDirectoryIsAClearError() throws Exception {
        Path blocker = Files.writeString(work.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> DevSecrets.loadOrCreate(blocker))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dev secrets file")
                .hasMessageContaining("not-a-dir");
    }
}
