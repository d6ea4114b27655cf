package dev.switchboard.spring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.transport.config.ConfigBinder;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ConfigKey;
import dev.switchboard.transport.config.ConfigKeys;
import dev.switchboard.transport.config.KeyType;
import dev.switchboard.transport.config.ServerConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * Reads a {@link ServerConfig} from the {@code switchboard.*} properties of a Spring
 * {@link Environment}, through the standalone server's own key table and binder: the same keys,
 * defaults, value syntax ({@code "25s"}, {@code "64KiB"}) and checks as {@code switchboard.yaml}.
 *
 * <p>Spring's relaxed names apply: {@code switchboard.client.ping-interval},
 * {@code switchboard.client.ping_interval} and the environment variable
 * {@code SWITCHBOARD_CLIENT_PING_INTERVAL} all set {@code client.ping_interval}. Namespaces are an
 * indexed list ({@code switchboard.channel.namespaces[0].name}). A blank value counts as unset, as
 * a blank environment variable does for the standalone server.
 *
 * <pre>{@code
 * @Bean
 * ServerConfig switchboardConfig(Environment env) {
 *     // the properties, plus what only code knows
 *     ServerConfig c = EnvironmentConfig.bind(env);
 *     return c.toBuilder().node(c.node().toBuilder().name(podName()).build()).build();
 * }
 * }</pre>
 */
public final class EnvironmentConfig {

    /** Every key lives under this prefix. */
    public static final String PREFIX = "switchboard";

    private static final ResolvableType NAMESPACES = ResolvableType.forClassWithGenerics(
            List.class, ResolvableType.forClassWithGenerics(Map.class, String.class, String.class));

    private EnvironmentConfig() {}

    /**
     * Binds and validates the {@code switchboard.*} properties.
     *
     * @throws ConfigException naming the property ({@code switchboard.client.ping_interval: ...}), for an
     *     unknown key or a bad value; never with a secret's value in the message
     */
    public static ServerConfig bind(Environment env) {
        UnknownKeys.refuse(env);
        ObjectNode tree = tree(Binder.get(env));
        try {
            // Not ConfigBinder.bind(tree, System.getenv()): Spring has read the environment already,
            // with its own precedence (command line over environment over files), and the standalone
            // server's variable names are among the names it accepts.
            ServerConfig config = ConfigBinder.bind(tree);
            config.toNodeOptions(); // the checks across keys, so they fail here naming the property too
            return config;
        } catch (ConfigException e) {
            throw named(e);
        }
    }

    /**
     * The same error under the property's name ({@code engine} → {@code switchboard.engine}). It
     * replaces the original rather than wrapping it, so that the root cause Spring and log tools
     * show names the property too.
     */
    static ConfigException named(ConfigException e) {
        if (e.key() != null && e.key().startsWith(PREFIX + ".")) {
            return e;
        }
        ConfigException named =
                new ConfigException(e.key() == null ? null : PREFIX + "." + e.key(), e.problem(), e.getCause());
        named.setStackTrace(e.getStackTrace());
        return named;
    }

    /** The config tree as {@code switchboard.yaml} would hold it, scalars as strings. */
    static ObjectNode tree(Binder binder) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (ConfigKey<?, ?> key : ConfigKeys.ALL) {
            if (ConfigKeys.APP_ONLY.contains(key)) {
                continue; // the standalone server's logging; SWITCHBOARD_LOG_* in the environment is not ours here
            }
            String name = propertyName(key.path());
            if (key.type() == KeyType.STRINGS) {
                // A YAML list or one comma-separated string; Spring's list binding reads both.
                binder.bind(name, Bindable.listOf(String.class)).ifBound(list -> {
                    ArrayNode array = section(root, key.section()).putArray(key.name());
                    list.forEach(array::add);
                });
            } else {
                binder.bind(name, Bindable.of(String.class)).ifBound(value -> {
                    if (!value.isBlank()) {
                        section(root, key.section()).put(key.name(), value);
                    }
                });
            }
        }
        binder.<List<Map<String, String>>>bind(PREFIX + ".channel.namespaces", Bindable.of(NAMESPACES))
                .ifBound(list -> {
                    ArrayNode namespaces = section(root, "channel").putArray("namespaces");
                    for (Map<String, String> entry : list) {
                        ObjectNode ns = namespaces.addObject();
                        // Map keys keep the form they were written in; the binder refuses any it does not know.
                        entry.forEach((k, v) -> {
                            if (v != null && !v.isBlank()) {
                                ns.put(yamlName(k), v);
                            }
                        });
                    }
                });
        return root;
    }

    /** {@code client.ping_interval} → {@code switchboard.client.ping-interval}, Spring's canonical form. */
    static String propertyName(String path) {
        return PREFIX + "." + path.replace('_', '-');
    }

    /** {@code history-size}, {@code historySize} or {@code history_size} → {@code history_size}. */
    static String yamlName(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c == '-' ? '_' : c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** The mapping at a dotted section path ({@code client.proxy.connect}), made as needed. */
    private static ObjectNode section(ObjectNode root, String section) {
        ObjectNode node = root;
        for (String part : section.isEmpty() ? new String[0] : section.split("\\.")) {
            node = node.has(part) ? (ObjectNode) node.get(part) : node.putObject(part);
        }
        return node;
    }
}
