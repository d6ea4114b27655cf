package dev.switchboard.server.config;

import dev.switchboard.core.InvalidOptionException;
import dev.switchboard.core.channel.ChannelOptions;
import java.util.List;

/**
 * Turns the parsed config tree into a {@link ServerConfig} by walking {@link ConfigKeys}: refuses
 * unknown keys, converts each value and hands it to the builder setter its key names, whose
 * checks name the key.
 */
final class ConfigBinder {

    private ConfigBinder() {
    }

    static ServerConfig bind(YamlSection root) {
        // Every unknown key first: a typo is the useful message, not what it left at its default.
        refuseUnknownKeys(root);
        ServerConfig.Builder b = ServerConfig.builder();
        bindAll(root, ConfigKeys.NODE, b);
        b.token(bindAll(root, ConfigKeys.TOKEN, TokenConfig.builder()).build());
        bindAll(root, ConfigKeys.ACCESS, b);
        b.client(bindAll(root, ConfigKeys.CLIENT, ClientConfig.builder()).build());
        b.channel(bindChannel(root));
        bindAll(root, ConfigKeys.RUNTIME, b);
        b.http(bindAll(root, ConfigKeys.HTTP, HttpConfig.builder()).build());
        return b.build();
    }

    private static void refuseUnknownKeys(YamlSection root) {
        root.allowOnly(ConfigKeys.namesIn(""));
        for (String name : ConfigKeys.namesIn("")) {
            if (!ConfigKeys.namesIn(name).isEmpty()) {
                YamlSection section = root.section(name);
                if (section != null) {
                    section.allowOnly(ConfigKeys.namesIn(name));
                }
            }
        }
        YamlSection channel = root.section("channel");
        for (YamlSection ns : channel == null ? List.<YamlSection>of() : channel.sections(ConfigKeys.NAMESPACES)) {
            ns.allowOnly(ConfigKeys.namespaceNames());
        }
    }

    /** Sets every key of {@code keys} present in the tree; their paths are relative to {@code base}. */
    private static <B> B bindAll(YamlSection base, List<ConfigKey<B, ?>> keys, B builder) {
        for (ConfigKey<B, ?> key : keys) {
            key.bind(key.section().isEmpty() ? base : base.section(key.section()), builder);
        }
        return builder;
    }

    private static ChannelConfig bindChannel(YamlSection root) {
        ChannelConfig.Builder b = bindAll(root, ConfigKeys.CHANNEL, ChannelConfig.builder());
        YamlSection channel = root.section("channel");
        if (channel == null) {
            return b.build();
        }
        b.defaultOptions(bindOptions(channel));
        for (YamlSection ns : channel.sections(ConfigKeys.NAMESPACES)) {
            if (!ns.has(ConfigKeys.NAMESPACE_NAME)) {
                throw new ConfigException(ns.key(ConfigKeys.NAMESPACE_NAME), "is required");
            }
            b.namespace(ns.textValue(ConfigKeys.NAMESPACE_NAME), bindOptions(ns));
        }
        return b.build();
    }

    /** Reads the channel options of one section (the default namespace or one namespace). */
    private static ChannelOptions bindOptions(YamlSection s) {
        try {
            return bindAll(s, ConfigKeys.CHANNEL_OPTIONS, ChannelOptions.builder()).build();
        } catch (InvalidOptionException e) {
            String key = ConfigKeys.channelOption(e.option()).map(k -> s.key(k.name())).orElse(s.path());
            throw new ConfigException(key, e.problem(), e);
        }
    }
}
