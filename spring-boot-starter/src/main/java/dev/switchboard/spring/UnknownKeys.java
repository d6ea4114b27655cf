package dev.switchboard.spring;

import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ConfigKey;
import dev.switchboard.transport.config.ConfigKeys;
import dev.switchboard.transport.config.KeyType;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses {@code switchboard.*} properties that are no key, as the standalone server refuses
 * unknown keys in its file: a typo ({@code ping-intervall}) would otherwise leave the default in
 * place without a word.
 *
 * <p>Environment variables are not checked. Spring reads {@code SWITCHBOARD_CLIENT_PING_INTERVAL}
 * as {@code switchboard.client.ping.interval}, a name that only its binder's legacy rule maps back
 * to the key, and a process may carry other {@code SWITCHBOARD_*} variables (the standalone
 * server's {@code SWITCHBOARD_CONFIG}).
 */
final class UnknownKeys {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(EnvironmentConfig.PREFIX);
    /** Properties of the starter itself, not of the key table, in uniform form: {@code enabled}, {@code auto-startup}. */
    private static final List<String> STARTER_KEYS = List.of("enabled", "autostartup");

    /**
     * Why {@code switchboard.log.*} and {@code switchboard.admin.*} are refused: the app owns its
     * logging and its pages, so a value here would do nothing.
     */
    static final String APP_ONLY = "is read by the standalone server only; an embedded node logs through"
            + " the application's logging (use Spring Boot's logging.level.* and logging.structured.format.console)"
            + " and has no admin page of its own";

    private UnknownKeys() {}

    /** Whether {@code name} is in the section of a key of {@link ConfigKeys#APP_ONLY} ({@code switchboard.log.*}). */
    static boolean isAppOnly(ConfigurationPropertyName name) {
        return name.getNumberOfElements() > 2
                && ConfigKeys.APP_ONLY.stream()
                        .anyMatch(k -> uniform(k.section()).equals(uniform(name, 1)));
    }

    static void refuse(Environment env) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(env)) {
            if (source instanceof IterableConfigurationPropertySource names
                    && !(source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource)) {
                names.stream()
                        .filter(ROOT::isAncestorOf)
                        .filter(n -> !isKnown(n))
                        .findFirst()
                        .ifPresent(n -> {
                            throw new ConfigException(n.toString(), isAppOnly(n) ? APP_ONLY : "unknown key");
                        });
            }
        }
    }

    /** Whether {@code name} (under {@code switchboard}) is a key, an item of a list key, or inside a namespace. */
    static boolean isKnown(ConfigurationPropertyName name) {
        int n = name.getNumberOfElements();
        if (n == 2 && STARTER_KEYS.contains(name.getElement(1, Form.UNIFORM))) {
            return true;
        }
        if (n >= 4
                && uniform(name, 1).equals("channel")
                && uniform(name, 2).equals("namespaces")
                && name.isNumericIndex(3)) {
            return true; // an entry's own keys are checked by the binder, with the entry's index in the message
        }
        for (ConfigKey<?, ?> key : ConfigKeys.ALL) {
            if (ConfigKeys.APP_ONLY.contains(key)) {
                continue;
            }
            String[] path = key.path().split("\\.");
            if (n <= path.length || !matches(name, path)) {
                continue;
            }
            if (n == path.length + 1) {
                return true;
            }
            // A list key given as items: switchboard.client.subscribe-to-channels[0].
            return key.type() == KeyType.STRINGS && n == path.length + 2 && name.isNumericIndex(n - 1);
        }
        return false;
    }

    private static boolean matches(ConfigurationPropertyName name, String[] path) {
        for (int i = 0; i < path.length; i++) {
            if (!uniform(path[i]).equals(uniform(name, i + 1))) {
                return false;
            }
        }
        return true;
    }

    /** Spring's uniform form of an element: lower case, letters and digits only ({@code ping_interval} → {@code pinginterval}). */
    private static String uniform(ConfigurationPropertyName name, int index) {
        return name.getElement(index, Form.UNIFORM);
    }

    private static String uniform(String element) {
        return element.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
