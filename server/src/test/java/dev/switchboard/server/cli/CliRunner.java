package dev.switchboard.server.cli;

import dev.switchboard.transport.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs commands in-process with captured output, a given environment and a fake server. */
final class CliRunner {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final List<ServerConfig> started = new ArrayList<>();
    final AtomicBoolean closed = new AtomicBoolean();
    int fakePort = 18_000;
    Exception startFailure;
    private CliContext ctx;

    CliRunner(Path workDir, Map<String, String> env) {
        ctx = new CliContext(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                env,
                workDir,
                config -> {
                    if (startFailure != null) {
                        throw startFailure;
                    }
                    started.add(config);
                    return new ServeCommand.RunningServer() {
                        @Override
                        public int port() {
                            return fakePort;
                        }

                        @Override
                        public void close() {
                            closed.set(true);
                        }
                    };
                },
                // Stop at once, the way the JVM shutdown hook would on SIGTERM.
                ServeCommand::closeWithin);
    }

    CliRunner(Path workDir) {
        this(workDir, Map.of());
    }

    int run(String... args) {
        return Main.run(ctx, args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
