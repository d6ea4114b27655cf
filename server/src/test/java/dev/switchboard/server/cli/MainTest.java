package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path work;

    @Test
    void noCommandPrintsUsageAndIsAUsageError() {
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run()).isEqualTo(Main.EXIT_USAGE);
        assertThat(cli.err())
                .contains("serve")
                .contains("genconfig")
                .contains("gentoken")
                .contains("checkconfig");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(new CliRunner(work).run("frobnicate")).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void versionAndHelpExitZero() {
        CliRunner cli = new CliRunner(work);
        assertThat(cli.run("--version")).isZero();
        assertThat(cli.out()).startsWith("switchboard ");
        assertThat(new CliRunner(work).run("serve", "--help")).isZero();
    }
}
