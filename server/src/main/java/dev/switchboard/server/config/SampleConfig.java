package dev.switchboard.server.config;

import dev.switchboard.transport.config.ConfigKey;
import dev.switchboard.transport.config.ConfigKeys;
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
        return text(ConfigKeys.ALL);
    }

    /**
     * The sample of these keys: nested mappings as deep as their paths, each section written
     * where its first key stands in the table, so a key added at the end of the table still
     * lands in its own section (a section written twice would be a duplicate key).
     */
    static String text(List<? extends ConfigKey<?, ?>> keys) {
        Section root = new Section("");
        keys.forEach(root::add);
        StringBuilder out = new StringBuilder(HEADER);
        boolean previousWasKey = false;
        for (Object child : root.children.values()) {
            if (child instanceof ConfigKey<?, ?> key) {
                out.append(previousWasKey ? "" : "\n");
                appendKey(out, key, "");
                previousWasKey = true;
            } else {
                out.append('\n');
                appendSection(out, (Section) child, "");
                previousWasKey = false;
            }
        }
        return out.toString();
    }

    private static void appendSection(StringBuilder out, Section section, String indent) {
        if (SECTION_NOTES.containsKey(section.path)) {
            out.append(indent)
                    .append("# ")
                    .append(SECTION_NOTES.get(section.path))
                    .append('\n');
        }
        out.append(indent).append(section.name()).append(":\n");
        for (Object child : section.children.values()) {
            if (child instanceof ConfigKey<?, ?> key) {
                appendKey(out, key, indent + "  ");
            } else {
                appendSection(out, (Section) child, indent + "  ");
            }
        }
        if (section.path.equals("channel")) {
            out.append(NAMESPACES);
        }
    }

    /** One mapping of the sample: keys and sub-sections, in the order they first appear. */
    private static final class Section {
        final String path;
        final Map<String, Object> children = new LinkedHashMap<>();

        Section(String path) {
            this.path = path;
        }

        String name() {
            return path.substring(path.lastIndexOf('.') + 1);
        }

        void add(ConfigKey<?, ?> key) {
            String rest = path.isEmpty() ? key.path() : key.path().substring(path.length() + 1);
            int dot = rest.indexOf('.');
            if (dot < 0) {
                children.put(rest, key);
                return;
            }
            String name = rest.substring(0, dot);
            String childPath = path.isEmpty() ? name : path + "." + name;
            ((Section) children.computeIfAbsent(name, n -> new Section(childPath))).add(key);
        }
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
