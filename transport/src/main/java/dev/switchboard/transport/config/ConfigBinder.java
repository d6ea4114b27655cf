package dev.switchboard.transport.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.core.InvalidOptionException;
import dev.switchboard.core.channel.ChannelOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a config tree into a validated {@link ServerConfig} by walking {@link ConfigKeys}: refuses
 * unknown keys, converts each value and hands it to the builder setter its key names, whose
 * checks name the key. Every source of configuration ends here: the application's YAML file,
 * environment variables, an embedder's Spring properties.
 *
 * <p>The tree holds the keys as in the config file ({@code client: {ping_interval: 25s}}); a
 * scalar may always be a string, as environment variables and property files give them.
 *
 * <pre>{@code
 * ObjectNode tree = JsonNodeFactory.instance.objectNode();
 * tree.putObject("client").put("ping_interval", "10s");
 * ServerConfig config = ConfigBinder.bind(tree, System.getenv());  // SWITCHBOARD_PORT etc. win
 * }</pre>
 */
public final class ConfigBinder {

    private ConfigBinder() {}

    /**
     * Binds and validates a tree.
     *
     * @throws ConfigException naming the first bad key
     */
    public static ServerConfig bind(ObjectNode tree) {
        return bind(tree, Map.of());
    }

    /**
     * Binds and validates a tree, after applying the environment variables of
     * {@link ConfigKeys#ENV_KEYS} over it (an empty variable counts as unset). The tree is not
     * changed.
     *
     * @throws ConfigException naming the first bad key, and the variable when one set it
     */
    public static ServerConfig bind(ObjectNode tree, Map<String, String> env) {
        ObjectNode merged = tree.deepCopy();
        Map<String, String> fromEnv = overlay(merged, env);
        try {
            return bind(new YamlSection(merged, "")).validate();
        } catch (ConfigException e) {
            String variable = e.key() == null ? null : fromEnv.get(e.key());
            throw variable == null ? e : e.fromEnvironment(variable);
        }
    }

    /**
     * Writes environment overrides into the tree as strings, so they go through exactly the same
     * conversion and checks as file values.
     *
     * @return key path to the variable that set it, for error messages
     */
    private static Map<String, String> overlay(ObjectNode tree, Map<String, String> env) {
        Map<String, String> applied = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : ConfigKeys.ENV_KEYS.entrySet()) {
            String value = env.get(e.getKey());
            if (value == null || value.isBlank()) {
                continue;
            }
            String[] parts = e.getValue().split("\\.");
            ObjectNode target = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = target.get(parts[i]);
                if (child == null || child.isNull()) {
                    child = target.putObject(parts[i]);
                }
                if (!child.isObject()) {
                    throw new ConfigException(
                            e.getValue(),
                            "cannot apply " + e.getKey() + ": " + parts[i] + " in the config file is not a mapping");
                }
                target = (ObjectNode) child;
            }
            target.set(parts[parts.length - 1], TextNode.valueOf(value));
            applied.put(e.getValue(), e.getKey());
        }
        return applied;
    }

    private static ServerConfig bind(YamlSection root) {
        // Every unknown key first: a typo is the useful message, not what it left at its default.
        refuseUnknownKeys(root);
        ConfigBuilders b = bindAll(root, ConfigKeys.ROOT, new ConfigBuilders());
        bindNamespaces(root, b.channel);
        return b.build();
    }

    private static void refuseUnknownKeys(YamlSection root) {
        refuseUnknownKeys(root, "");
        YamlSection channel = root.section("channel");
        for (YamlSection ns : channel == null ? List.<YamlSection>of() : channel.sections(ConfigKeys.NAMESPACES)) {
            ns.allowOnly(ConfigKeys.namespaceNames());
        }
    }

    /** Refuses what no key names in the mapping at {@code path}, and below it, at any depth. */
    private static void refuseUnknownKeys(YamlSection section, String path) {
        Set<String> names = ConfigKeys.namesIn(path);
        section.allowOnly(names);
        for (String name : names) {
            String child = path.isEmpty() ? name : path + "." + name;
            YamlSection sub = ConfigKeys.isSection(child) ? section.section(name) : null;
            if (sub != null) {
                refuseUnknownKeys(sub, child);
            }
        }
    }

    /** Sets every key of {@code keys} present in the tree; their paths are relative to {@code base}. */
    private static <B> B bindAll(YamlSection base, List<ConfigKey<B, ?>> keys, B builder) {
        for (ConfigKey<B, ?> key : keys) {
            key.bind(key.section().isEmpty() ? base : base.at(key.section()), builder);
        }
        return builder;
    }

    private static void bindNamespaces(YamlSection root, ChannelConfig.Builder b) {
        YamlSection channel = root.section("channel");
        if (channel == null) {
            return;
        }
        b.defaultOptions(bindOptions(channel));
        for (YamlSection ns : channel.sections(ConfigKeys.NAMESPACES)) {
            if (!ns.has(ConfigKeys.NAMESPACE_NAME)) {
                throw new ConfigException(ns.key(ConfigKeys.NAMESPACE_NAME), "is required");
            }
            b.namespace(ns.textValue(ConfigKeys.NAMESPACE_NAME), bindOptions(ns));
        }
    }

    /** Reads the channel options of one section (the default namespace or one namespace). */
    private static ChannelOptions bindOptions(YamlSection s) {
        try {
            return bindAll(s, ConfigKeys.CHANNEL_OPTIONS, ChannelOptions.builder())
                    .build();
        } catch (InvalidOptionException e) {
            String key = ConfigKeys.channelOption(e.option())
                    .map(k -> s.key(k.name()))
                    .orElse(s.path());
            throw new ConfigException(key, e.problem(), e);
        }
    }
}
