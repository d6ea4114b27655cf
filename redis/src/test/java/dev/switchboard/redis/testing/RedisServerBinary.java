package dev.switchboard.redis.testing;

import java.io.File;
import java.util.Optional;

/** Finds the {@code redis-server} executable: {@code $REDIS_SERVER}, else the {@code PATH}. */
public final class RedisServerBinary {

    /** Environment variable naming the binary explicitly. */
    static final String ENV = "REDIS_SERVER";
    /** Name looked up on the {@code PATH}. */
    static final String NAME = "redis-server";

    private RedisServerBinary() {}

    /**
     * The binary, or empty if none is installed.
     *
     * @throws IllegalStateException if {@code $REDIS_SERVER} is set but not executable: a
     *     misconfiguration to report, not a reason to skip quietly
     */
    public static Optional<String> find() {
        String explicit = System.getenv(ENV);
        if (explicit != null && !explicit.isBlank()) {
            if (!new File(explicit).canExecute()) {
                throw new IllegalStateException(ENV + "=" + explicit + " is not an executable file");
            }
            return Optional.of(explicit);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, NAME);
            if (!dir.isEmpty() && f.canExecute()) {
                return Optional.of(f.getPath());
            }
        }
        return Optional.empty();
    }
}
