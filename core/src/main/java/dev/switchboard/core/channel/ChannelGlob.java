package dev.switchboard.core.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A channel name pattern where {@code *} matches any run of characters (including none) and
 * every other character matches itself, as the {@code channels} API call takes it.
 *
 * <p>Matching never backtracks: the parts between stars are searched once each, left to right,
 * so the cost is bounded by the name's length times the pattern's, whatever the pattern. A
 * regular expression built from the same pattern ({@code **********b}) backtracks
 * exponentially, which a caller of the API could use to pin an I/O thread.
 *
 * <pre>{@code
 * ChannelGlob g = ChannelGlob.compile("chat:*:room");
 * g.matches("chat:eu:room");   // true
 * g.matches("chat:room");      // false
 * }</pre>
 */
public final class ChannelGlob {

    /** Longest pattern accepted; channel names are far shorter, so longer ones cannot be meant. */
    public static final int MAX_PATTERN_LENGTH = 1024;

    private final String prefix;
    private final List<String> middle;
    private final String suffix;
    private final boolean hasStar;
    private final int minLength;

    private ChannelGlob(String pattern) {
        int first = pattern.indexOf('*');
        hasStar = first >= 0;
        if (!hasStar) {
            prefix = pattern;
            middle = List.of();
            suffix = "";
            minLength = pattern.length();
            return;
        }
        int last = pattern.lastIndexOf('*');
        prefix = pattern.substring(0, first);
        suffix = pattern.substring(last + 1);
        List<String> parts = new ArrayList<>();
        int from = first + 1;
        while (from <= last) {
            int star = pattern.indexOf('*', from);
            if (star > from) {
                parts.add(pattern.substring(from, star));
            }
            from = star + 1;
        }
        middle = List.copyOf(parts);
        int min = prefix.length() + suffix.length();
        for (String p : middle) {
            min += p.length();
        }
        minLength = min;
    }

    /**
     * Compiles a pattern.
     *
     * @throws IllegalArgumentException when the pattern is longer than {@link #MAX_PATTERN_LENGTH}
     */
    public static ChannelGlob compile(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException("pattern longer than " + MAX_PATTERN_LENGTH + " characters");
        }
        return new ChannelGlob(pattern);
    }

    /** True when the whole name matches the pattern. */
    public boolean matches(String name) {
        if (!hasStar) {
            return name.equals(prefix);
        }
        if (name.length() < minLength || !name.startsWith(prefix) || !name.endsWith(suffix)) {
            return false;
        }
        int from = prefix.length();
        int end = name.length() - suffix.length();
        for (String part : middle) {
            // The leftmost match leaves the most room for the parts after it, so it is never wrong.
            int at = name.indexOf(part, from);
            if (at < 0 || at + part.length() > end) {
                return false;
            }
            from = at + part.length();
        }
        return true;
    }
}
