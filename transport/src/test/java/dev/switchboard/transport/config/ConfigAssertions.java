package dev.switchboard.transport.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares configs by every setting they expose: the core {@code ChannelOptions} has no
 * {@code equals}, so the public accessors are walked instead. A node id is not a setting: each
 * {@code NodeOptions} gets its own.
 */
public final class ConfigAssertions {

    private static final Set<String> NOT_SETTINGS = Set.of(
            "id", "toBuilder", "toNodeOptions", "toChannelRules", "validate", "hashCode", "toString", "getClass");

    private ConfigAssertions() {}

    public static void assertSameSettings(Object actual, Object expected) {
        assertThat(settings(actual)).isEqualTo(settings(expected));
    }

    /** Every setting as nested maps, keyed by accessor name. */
    public static Object settings(Object o) {
        if (o instanceof java.util.regex.Pattern p) {
            return p.pattern(); // Pattern has no equals
        }
        if (o == null || !o.getClass().getName().startsWith("dev.switchboard.") || o instanceof Enum<?>) {
            if (o instanceof Map<?, ?> m) {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(k, settings(v)));
                return out;
            }
            if (o instanceof List<?> l) {
                List<Object> out = new ArrayList<>();
                l.forEach(v -> out.add(settings(v)));
                return out;
            }
            return o;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Method[] methods = o.getClass().getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.getParameterCount() == 0
                    && !Modifier.isStatic(m.getModifiers())
                    && m.getReturnType() != void.class
                    && !NOT_SETTINGS.contains(m.getName())
                    && m.getDeclaringClass() != Object.class) {
                try {
                    out.put(m.getName(), settings(m.invoke(o)));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(m.toString(), e);
                }
            }
        }
        return out;
    }
}
