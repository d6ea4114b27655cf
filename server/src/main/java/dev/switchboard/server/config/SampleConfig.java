package dev.switchboard.server.config;

import dev.switchboard.transport.config.ConfigKey;
import dev.switchboard.transport.config.ConfigKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commented sample configuration, written from {@link ConfigKeys}: every key with its
 * default, its one-line doc and its environment variable. {@code genconfig} writes it (with
 * fresh secrets), and it parses back to exactly {@link ServerConfig#defaults()}.
 *
 * <pre>{@code
 * Files.writeString(Path.of("switchboard.yaml"), SampleConfig.text());
 * }</pre>
 */
public final class SampleConfig {

    private static final String HEADER = """
        # Switchboard configuration. Every key is shown with its default; delete what you do not change.
        # Durations: "300ms", "25s", "5m", "1h", "1h30m" or a whole number of seconds.
        # Sizes in bytes: 65536, "64KiB", "1MiB". Environment variables (SWITCHBOARD_*) override this file.
        # Reference: docs/configuration.md. Check a file with `switchboard checkconfig --config FILE`.
        """;

    /** Comment lines written before a key, for what one key's doc cannot say. */
    private static final Map<String, String> NOTES = Map.of(
            "channel.history_size",
            "The options below apply to channels without a namespace (\"news\");"
                    + " each namespace has the same keys.");

    private static final Map<String, String> SECTION_NOTES = Map.of(
            "http",
            "Plain HTTP connections (WebSocket handshakes, /api, /health, /metrics): half-open sockets time out.");

    private static final String NAMESPACES = """
          # Namespaces: channels "<name>:..." use that entry's options (every channel option above).
          # A channel whose namespace is not listed is refused. Example:
          #   namespaces:
          #     - name: chat
          #       history_size: 100
          #       history_ttl: 5m
          #       force_recovery: true
          #       presence: true
          #       join_leave: true
          #       allow_subscribe_for_client: true
          #       allow_publish_for_subscriber: true
          namespaces: []
        """;

    private SampleConfig() {}

    /** The sample, with empty secrets. */
    public static String text() {
        StringBuilder out = new StringBuilder(HEADER);
        // Grouped by section in the order sections first appear, so a key added at the end of the
        // table still lands in its own section (a section written twice would be a duplicate key).
        Map<String, List<ConfigKey<?, ?>>> sections = new LinkedHashMap<>();
        ConfigKeys.ALL.forEach(k ->
                sections.computeIfAbsent(k.section(), s -> new ArrayList<>()).add(k));
        String previous = null;
        for (ConfigKey<?, ?> key : ConfigKeys.ALL) {
            String section = key.section();
            if (section.isEmpty()) {
                out.append("".equals(previous) ? "" : "\n");
                appendKey(out, key, "");
                previous = section;
                continue;
            }
            if (sections.get(section).get(0) != key) {
                continue; // written with the first key of its section
            }
            previous = section;
            out.append('\n');
            if (SECTION_NOTES.containsKey(section)) {
                out.append("# ").append(SECTION_NOTES.get(section)).append('\n');
            }
            out.append(section).append(":\n");
            sections.get(section).forEach(k -> appendKey(out, k, "  "));
            if (section.equals("channel")) {
                out.append(NAMESPACES);
            }
        }
        return out.toString();
    }

    private static void appendKey(StringBuilder out, ConfigKey<?, ?> key, String indent) {
        String note = NOTES.getOrDefault(key.path(), "");
        if (!note.isEmpty()) {
            out.append(indent).append("# ").append(note).append('\n');
        }
        out.append(indent)
                .append("# ")
                .append(key.doc())
                .append(" Env: ")
                .append(key.env())
                .append(".\n");
        out.append(indent)
                .append(key.name())
                .append(": ")
                .append(key.defaultYaml())
                .append('\n');
    }
}
