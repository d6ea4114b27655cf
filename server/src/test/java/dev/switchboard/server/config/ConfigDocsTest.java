package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ConfigKey;
import dev.switchboard.transport.config.ConfigKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Holds the hand-written tables of {@code docs/configuration.md} to {@link ConfigKeys}: every key
 * row names a key of the table, shows its default and its environment variable, every key has a
 * row, and the environment variable table maps each variable to its key. The prose stays free.
 */
class ConfigDocsTest {

    /** Rows of the docs that are structure, not keys of the table. */
    private static final Set<String> STRUCTURAL = Set.of("channel.namespaces", "channel.namespaces[].name");

    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    @Test
    void docsAgreeWithTheKeyTable() throws IOException {
        String doc = Files.readString(findDoc(), StandardCharsets.UTF_8);
        assertThat(disagreements(doc)).isEmpty();
        assertThat(doc).contains("`" + ConfigLoader.ENV_CONFIG_FILE + "`").contains(DevSecrets.FILE_NAME);
    }

    @Test
    void aWrongDefaultAMissingRowAndAWrongVariableAreCaught() throws IOException {
        String doc = Files.readString(findDoc(), StandardCharsets.UTF_8)
                .replace("| `client.ping_interval` | `25s` |", "| `client.ping_interval` | `20s` |")
                .replaceAll("\\| `http.max_body_size` \\|[^\\n]*\\n", "")
                .replace(
                        "| `SWITCHBOARD_REDIS_PREFIX` | `redis.prefix` |",
                        "| `SWITCHBOARD_REDIS_PREFIX` | `redis.url` |");
        assertThat(disagreements(doc))
                .anySatisfy(p -> assertThat(p).contains("client.ping_interval").contains("25s"))
                .anySatisfy(p -> assertThat(p).contains("http.max_body_size").contains("no row"))
                .anySatisfy(p -> assertThat(p).contains("SWITCHBOARD_REDIS_PREFIX"));
    }

    /** What the doc says differently from the table, one line each; empty when they agree. */
    static List<String> disagreements(String doc) {
        List<String> problems = new ArrayList<>();
        Set<String> keyRows = new LinkedHashSet<>();
        Map<String, String> envRows = new LinkedHashMap<>();
        for (Map<String, String> row : tableRows(doc)) {
            if (row.containsKey("Variable")) {
                String variable = code(row.get("Variable")).orElse("");
                if (!variable.equals(ConfigLoader.ENV_CONFIG_FILE)) {
                    envRows.put(variable, code(row.get("Key")).orElse(""));
                }
                continue;
            }
            boolean option = row.containsKey("Option");
            String name = code(row.getOrDefault(option ? "Option" : "Key", "")).orElse(null);
            if (name == null || !row.containsKey("Default")) {
                continue;
            }
            String path = option ? "channel." + name : name;
            if (STRUCTURAL.contains(path)) {
                continue;
            }
            keyRows.add(path);
            Optional<ConfigKey<?, ?>> key = ConfigKeys.byPath(path);
            if (key.isEmpty()) {
                problems.add(path + ": documented but not in ConfigKeys");
                continue;
            }
            checkDefault(key.get(), row.get("Default"), problems);
            if (row.containsKey("Env") && !row.get("Env").equals("`" + key.get().env() + "`")) {
                problems.add(path + ": docs say env " + row.get("Env") + ", the table "
                        + key.get().env());
            }
        }
        for (ConfigKey<?, ?> key : ConfigKeys.ALL) {
            if (!keyRows.contains(key.path())) {
                problems.add(key.path() + ": no row in the docs");
            }
            if (!key.path().equals(envRows.get(key.env()))) {
                problems.add(
                        key.env() + ": the environment table says " + envRows.get(key.env()) + ", not " + key.path());
            }
        }
        envRows.keySet().stream()
                .filter(v -> !ConfigKeys.ENV_KEYS.containsKey(v))
                .forEach(v -> problems.add(v + ": documented but no key has it"));
        return problems;
    }

    /** The documented default goes through the key's own reader, so "60s" and "1m" agree. */
    private static void checkDefault(ConfigKey<?, ?> key, String cell, List<String> problems) {
        if (key.defaultValue() == null) {
            if (!cell.startsWith(key.unsetText())) {
                problems.add(key.path() + ": docs say default " + cell + ", the table " + key.unsetText());
            }
            return;
        }
        Optional<String> shown = code(cell);
        Object documented;
        try {
            ObjectNode tree = ConfigLoader.parse("v: " + shown.orElse("~"), "docs");
            documented = shown.isEmpty() ? null : key.type().read(key.path(), tree.get("v"));
        } catch (ConfigException e) {
            documented = e.getMessage();
        }
        if (!Objects.equals(documented, key.defaultValue())) {
            problems.add(key.path() + ": docs say default " + cell + ", the table " + key.defaultYaml());
        }
    }

    /** Every row of every Markdown table, by its header's column names; {@code \|} unescaped. */
    private static List<Map<String, String>> tableRows(String doc) {
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> header = null;
        String[] lines = doc.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.startsWith("|")) {
                header = null;
            } else if (header == null
                    && i + 1 < lines.length
                    && lines[i + 1].trim().startsWith("|---")) {
                header = cells(line);
                i++;
            } else if (header != null) {
                List<String> cells = cells(line);
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < header.size() && c < cells.size(); c++) {
                    row.put(header.get(c), cells.get(c));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner =
                line.substring(1, line.endsWith("|") && !line.endsWith("\\|") ? line.length() - 1 : line.length());
        List<String> out = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            out.add(cell.trim().replace("\\|", "|"));
        }
        return out;
    }

    private static Optional<String> code(String cell) {
        Matcher m = CODE.matcher(cell == null ? "" : cell);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** docs/ is at the repository root, above the module directory tests run in. */
    static Path findDoc() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("configuration.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(
                "docs/configuration.md not found above " + Path.of("").toAbsolutePath());
    }
}
