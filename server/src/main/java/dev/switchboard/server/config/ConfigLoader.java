package dev.switchboard.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.transport.config.ConfigBinder;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ConfigKeys;
import dev.switchboard.transport.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link ServerConfig} from an optional YAML file plus environment overrides, and
 * validates all of it before returning, so that nothing starts on a bad config.
 *
 * <p>Precedence, highest first: environment variable, config file, built-in default. An empty
 * environment variable counts as unset. The environment is a parameter so that tests (and
 * embedders) never depend on the real process environment.
 *
 * <pre>{@code
 * ServerConfig config = ConfigLoader.load(Path.of("switchboard.yaml"), System.getenv());
 * ServerConfig envOnly = ConfigLoader.load(null, System.getenv());
 * }</pre>
 */
public final class ConfigLoader {

    /** Prefix of every Switchboard environment variable. */
    public static final String ENV_PREFIX = ConfigKeys.ENV_PREFIX;
    /** Environment variable naming the config file when no {@code --config} is given. */
    public static final String ENV_CONFIG_FILE = "SWITCHBOARD_CONFIG";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {}

    /**
     * Which config file to read: {@code cliOption} when given, else {@code SWITCHBOARD_CONFIG},
     * else none.
     */
    public static Path configFile(Path cliOption, Map<String, String> env) {
        if (cliOption != null) {
            return cliOption;
        }
        String fromEnv = env.get(ENV_CONFIG_FILE);
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv.trim());
    }

    /**
     * Loads and validates the configuration.
     *
     * @param file the YAML file, or {@code null} for defaults plus environment only
     * @param env the environment, usually {@code System.getenv()}
     * @throws ConfigException for an unreadable file, broken YAML or any bad value, naming the key
     */
    public static ServerConfig load(Path file, Map<String, String> env) {
        if (file == null) {
            return loadYaml("", "defaults", env);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, "config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException(null, "cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return loadYaml(text, file.toString(), env);
    }

    /**
     * Loads and validates configuration given as YAML text.
     *
     * @param yaml the YAML document; empty for all defaults
     * @param source a name for error messages, such as the file name
     * @param env the environment
     * @throws ConfigException as {@link #load(Path, Map)}
     */
    public static ServerConfig loadYaml(String yaml, String source, Map<String, String> env) {
        ObjectNode tree = parse(yaml, source);
        warnUnknownVariables(env);
        return ConfigBinder.bind(tree, env);
    }

    private static void warnUnknownVariables(Map<String, String> env) {
        for (String name : env.keySet()) {
            if (name.startsWith(ENV_PREFIX)
                    && !ConfigKeys.ENV_KEYS.containsKey(name)
                    && !name.equals(ENV_CONFIG_FILE)) {
                // Likely a typo (SWITCHBOARD_PROT); its value is never logged, it may be a secret.
                LOG.warn("ignoring unknown environment variable {}", name);
            }
        }
    }

    /** Parses YAML into a mapping; an empty document is an empty mapping. */
    static ObjectNode parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(null, source + ": " + describe(e), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(null, source + ": the top level must be a mapping of keys (like \"port: 8000\")");
        }
        return (ObjectNode) root;
    }

    /**
     * Describes a YAML error by position only. SnakeYAML's own message quotes the offending
     * line, which may be the line holding a secret, so it is not used.
     */
    private static String describe(JsonProcessingException e) {
        String problem = e.getOriginalMessage();
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
            problem = (m.getContext() == null ? "" : m.getContext() + ": ") + m.getProblem();
            if (m.getProblemMark() != null) {
                return "invalid YAML at line " + (m.getProblemMark().getLine() + 1) + ", column "
                        + (m.getProblemMark().getColumn() + 1) + ": " + problem;
            }
        }
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        if (problem != null && problem.startsWith("Duplicate field")) {
            return "duplicate key" + problem.substring("Duplicate field".length()) + where;
        }
        return "invalid YAML" + where + ": "
                + (problem == null ? "" : problem.lines().findFirst().orElse(""));
    }
}
