package dev.switchboard.transport.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the duration syntax of the configuration file.
 *
 * <p>A duration is a string of one or more {@code <integer><unit>} parts with units {@code ms},
 * {@code s}, {@code m}, {@code h} and {@code d} ({@code "300ms"}, {@code "25s"}, {@code "1h30m"}),
 * or a bare non-negative integer meaning seconds ({@code 25}, {@code "25"}). Negative values
 * are refused: no setting means "in the past".
 *
 * <pre>{@code
 * Duration d = Durations.parse("1m30s");   // PT1M30S
 * String s = Durations.format(d);          // "1m30s"
 * }</pre>
 */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SECONDS = Pattern.compile("\\d+");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @param text the value as written, surrounding whitespace ignored
     * @return the duration, never negative
     * @throws IllegalArgumentException with a message suitable after a key name
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (SECONDS.matcher(s).matches()) {
            return Duration.ofSeconds(parseAmount(s, text));
        }
        if (!WHOLE.matcher(s).matches()) {
            throw new IllegalArgumentException("must be a duration like \"300ms\", \"25s\", \"5m\", \"1h\""
                    + " or a whole number of seconds, got \"" + text + "\"");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(s);
        try {
            while (m.find()) {
                long n = parseAmount(m.group(1), text);
                total = total.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        });
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too large");
        }
        return total;
    }

    private static long parseAmount(String digits, String text) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too large");
        }
    }

    /**
     * Prints a duration in the same syntax, largest units first: {@code "25s"}, {@code "1h30m"},
     * {@code "300ms"}, {@code "0s"}. {@code parse(format(d))} equals {@code d} to the millisecond.
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration " + d);
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms >= sizes[i]) {
                sb.append(ms / sizes[i]).append(units[i]);
                ms %= sizes[i];
            }
        }
        return sb.toString();
    }
}
