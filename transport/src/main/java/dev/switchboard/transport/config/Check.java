package dev.switchboard.transport.config;

import java.time.Duration;

/** Argument checks shared by the config builders; each failure names the key it is about. */
final class Check {

    private Check() {}

    static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new ConfigException(key, "must be >= " + min + ", got " + value);
        }
        return value;
    }

    static int between(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static Duration positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(
                    key,
                    "must be > 0, got "
                            + (value == null
                                    ? "nothing"
                                    : Durations.format(value.abs()) + (value.isNegative() ? " (negative)" : "")));
        }
        return value;
    }

    static Duration nonNegative(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw new ConfigException(key, "must be >= 0");
        }
        return value;
    }

    /** Blank strings mean "not set": YAML {@code key: ""} and an empty env variable both unset a key. */
    static String optionalText(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static String requiredText(String key, String value) {
        String v = optionalText(value);
        if (v == null) {
            throw new ConfigException(key, "must not be empty");
        }
        return v;
    }
}
