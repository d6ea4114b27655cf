package dev.switchboard.server.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands need from the outside world, passed in so tests can run every command
 * in-process: console streams, the environment, the working directory, and how {@code serve}
 * starts a server and waits for the stop signal.
 *
 * <pre>{@code
 * StringWriter out = new StringWriter();
 * CliContext ctx = CliContext.system().withOut(new PrintWriter(out, true)).withEnv(Map.of());
 * int exit = Main.run(ctx, "checkconfig", "--config", "switchboard.yaml");
 * }</pre>
 *
 * @param out standard output: results (a token, "config OK", the serve banner)
 * @param err standard error: problems
 * @param env the environment variables
 * @param workDir directory relative paths and {@code .switchboard/} are resolved against
 * @param launcher starts the server for {@code serve}
 * @param stopSignal waits for the stop signal and stops the server for {@code serve}
 */
public record CliContext(
        PrintWriter out,
        PrintWriter err,
        Map<String, String> env,
        Path workDir,
        ServeCommand.Launcher launcher,
        ServeCommand.StopSignal stopSignal) {

    public CliContext {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        env = Map.copyOf(env);
        workDir = workDir.toAbsolutePath().normalize();
        Objects.requireNonNull(launcher, "launcher");
        Objects.requireNonNull(stopSignal, "stopSignal");
    }

    /** The real process: {@code System.out}/{@code System.err}, {@code System.getenv()}, the current directory. */
    public static CliContext system() {
        return new CliContext(
                new PrintWriter(System.out, true, Charset.defaultCharset()),
                new PrintWriter(System.err, true, Charset.defaultCharset()),
                System.getenv(),
                Path.of(""),
                ServeCommand.SWITCHBOARD_SERVER,
                ServeCommand.StopSignal.JVM_SHUTDOWN);
    }

    public CliContext withOut(PrintWriter v) {
        return new CliContext(v, err, env, workDir, launcher, stopSignal);
    }

    public CliContext withErr(PrintWriter v) {
        return new CliContext(out, v, env, workDir, launcher, stopSignal);
    }

    public CliContext withEnv(Map<String, String> v) {
        return new CliContext(out, err, v, workDir, launcher, stopSignal);
    }

    public CliContext withWorkDir(Path v) {
        return new CliContext(out, err, env, v, launcher, stopSignal);
    }

    public CliContext withLauncher(ServeCommand.Launcher v) {
        return new CliContext(out, err, env, workDir, v, stopSignal);
    }

    public CliContext withStopSignal(ServeCommand.StopSignal v) {
        return new CliContext(out, err, env, workDir, launcher, v);
    }

    /** {@code path} resolved against {@link #workDir()} unless absolute. */
    public Path resolve(Path path) {
        return workDir.resolve(path).normalize();
    }
}
