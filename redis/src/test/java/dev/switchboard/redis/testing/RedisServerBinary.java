package dev.switchboard.redis.testing;

import java.io.File;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the {@code redis-server} executable ({@code $REDIS_SERVER}, else the {@code PATH}) and the
 * {@code redis-cli} that creates clusters.
 */
public final class RedisServerBinary {

    /** Environment variable naming the binary explicitly. */
    static final String ENV = "REDIS_SERVER";
    /** Name looked up on the {@code PATH}. */
    static final String NAME = "redis-server";
    /** Environment variable naming the {@code redis-cli} binary explicitly. */
    static final String CLI_ENV = "REDIS_CLI";
    /** Name of the {@code redis-cli} binary, next to the server or on the {@code PATH}. */
    static final String CLI_NAME = "redis-cli";

    private RedisServerBinary() {}

    /**
     * The binary, or empty if none is installed.
     *
     * @throws IllegalStateException if {@code $REDIS_SERVER} is set but not executable: a
     *     misconfiguration to report, not a reason to skip quietly
     */
    public static Optional<String> find() {
        return find(ENV, NAME);
    }

    /**
     * The {@code redis-cli} executable: {@code $REDIS_CLI}, else the one next to {@link #find()}'s
     * server, else the {@code PATH}; empty if none is installed.
     *
     * @throws IllegalStateException if {@code $REDIS_CLI} is set but not executable
     */
    public static Optional<String> findCli() {
        if (System.getenv(CLI_ENV) == null) {
            Optional<File> sibling = find().map(server ->
                    new File(new File(server).getAbsoluteFile().getParentFile(), CLI_NAME));
            if (sibling.isPresent() && sibling.get().canExecute()) {
                return Optional.of(sibling.get().getPath());
            }
        }
        return find(CLI_ENV, CLI_NAME);
    }

    /**
     * The binary found, else skips the test class with the reason printed; in CI ({@code CI=true})
     * fails instead, as CI must install it.
     */
    static String orSkip(Optional<String> found, String env, String name) {
        return found.orElseGet(() -> {
            String why =
                    "no " + name + ": set " + env + " or put " + name + " on the PATH (apt-get install redis-server)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; CI must install it");
            }
            System.out.println("SKIPPED: " + why);
            Assumptions.abort(why);
            return null;
        });
    }

    private static Optional<String> find(String env, String name) {
        String explicit = System.getenv(env);
        if (explicit != null && !explicit.isBlank()) {
            if (!new File(explicit).canExecute()) {
                throw new IllegalStateException(env + "=" + explicit + " is not an executable file");
            }
            return Optional.of(explicit);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (!dir.isEmpty() && f.canExecute()) {
                return Optional.of(f.getPath());
            }
        }
        return Optional.empty();
    }
}
