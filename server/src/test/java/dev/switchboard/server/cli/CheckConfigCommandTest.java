package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {

    @TempDir
    Path work;

    @Test
    void validFilePrintsConfigOkAndExitsZero() throws Exception {
        Files.writeString(work.resolve("sb.yaml"), "port: 9001\nchannel: {namespaces: [{name: chat}]}\n");
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("checkconfig", "--config", "sb.yaml")).isZero();
        assertThat(cli.out()).startsWith("config OK").contains(":9001").contains("1 namespace(s)");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void invalidFilePrintsTheKeyAndExitsOne() throws Exception {
        Files.writeString(work.resolve("sb.yaml"), "channel:\n  namespaces:\n    - name: a\n      histroy_size: 1\n");
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("checkconfig", "-c", "sb.yaml")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("channel.namespaces[0].histroy_size: unknown key");
        assertThat(cli.out()).doesNotContain("config OK");
    }

    @Test
    void environmentIsCheckedToo() {
        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_PORT", "eighty"));
        assertThat(cli.run("checkconfig")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("port (from SWITCHBOARD_PORT)");
    }

    @Test
    void configFileCanComeFromTheEnvironment() throws Exception {
        Files.writeString(work.resolve("env.yaml"), "port: 70000\n");
        CliRunner cli = new CliRunner(work, Map.of("SWITCHBOARD_CONFIG", "env.yaml"));
        assertThat(cli.run("checkconfig")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("port: must be between 0 and 65535, got 70000");
    }

    @Test
    void missingFileExitsOne() {
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("checkconfig", "--config", "absent.yaml")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(cli.err()).contains("absent.yaml does not exist");
    }

    @Test
    void noConfigAtAllIsValidAndMentionsDevSecrets() {
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("checkconfig")).isZero();
        assertThat(cli.out()).startsWith("config OK").contains(".switchboard");
        assertThat(work.resolve(".switchboard"))
                .as("checkconfig creates nothing")
                .doesNotExist();
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(new CliRunner(work).run("checkconfig", "--bogus")).isEqualTo(Main.EXIT_USAGE);
    }
}
