package dev.switchboard.transport.config;

/**
 * A configuration value is missing, malformed or inconsistent.
 *
 * <p>The message always starts with the key path that is wrong (for example
 * {@code channel.namespaces[1].history_size}) and, when the value came from the environment,
 * names the variable too. It never contains the value of a secret.
 *
 * <pre>{@code
 * try {
 *     ServerConfig config = ConfigLoader.load(Path.of("switchboard.yaml"), System.getenv());
 * } catch (ConfigException e) {
 *     System.err.println("config error: " + e.getMessage()); // "port: must be between 0 and 65535, got 70000"
 * }
 * }</pre>
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    /**
     * @param key the key path that is wrong, or {@code null} when the problem is not one key
     *     (an unreadable file, broken YAML)
     * @param problem what is wrong, without the key
     */
    public ConfigException(String key, String problem) {
        super(key == null ? problem : key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** Same as {@link #ConfigException(String, String)}, keeping the underlying cause. */
    public ConfigException(String key, String problem, Throwable cause) {
        super(key == null ? problem : key + ": " + problem, cause);
        this.key = key;
        this.problem = problem;
    }

    private ConfigException(String key, String problem, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.problem = problem;
    }

    /**
     * The same error, its message saying which environment variable set the key, for example
     * {@code port (from SWITCHBOARD_PORT): must be between 0 and 65535, got 70000}.
     */
    ConfigException fromEnvironment(String variable) {
        return new ConfigException(key, problem, key + " (from " + variable + "): " + problem, this);
    }

    /** The key path that is wrong, or {@code null} when the error is not about a single key. */
    public String key() {
        return key;
    }

    /** What is wrong, without the key. */
    public String problem() {
        return problem;
    }
}
