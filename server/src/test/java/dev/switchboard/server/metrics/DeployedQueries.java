package dev.switchboard.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.server.testing.ExternalTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL of the shipped dashboard and alerting rules, and the metric names it uses. */
final class DeployedQueries {

    /**
     * Names a node exports: ours, Micrometer's JVM and process meters, and Prometheus' own
     * {@code up}. Label names and values never look like these, so no PromQL parser is needed.
     */
    private static final Pattern METRIC =
            Pattern.compile("(?<![\\w:\"])((?:switchboard|jvm|process|system)_[a-z0-9_]+|up)(?![\\w(])");
    /** String literals hold label values and Grafana legends, never metric names. */
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private DeployedQueries() {}

    static Path dashboardFile() {
        return root().resolve("deploy/grafana/switchboard.json");
    }

    static Path alertsFile() {
        return root().resolve("deploy/prometheus/alerts.yml");
    }

    static Path root() {
        Path root = ExternalTools.repoRoot();
        if (root == null) {
            throw new IllegalStateException(
                    "repository root not found from " + Path.of("").toAbsolutePath());
        }
        return root;
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(dashboardFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code expr} of every panel (rows' nested panels included) and every variable's query. */
    static List<String> dashboardExprs() {
        List<String> out = new ArrayList<>();
        JsonNode d = dashboard();
        collectExprs(d.path("panels"), out);
        for (JsonNode v : d.path("templating").path("list")) {
            JsonNode q = v.path("query");
            String query = q.isObject() ? q.path("query").asText() : q.asText();
            if ("query".equals(v.path("type").asText())) {
                out.add(query);
            }
        }
        return out;
    }

    private static void collectExprs(JsonNode panels, List<String> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                out.add(t.path("expr").asText());
            }
            collectExprs(p.path("panels"), out);
        }
    }

    /** Each rule's {@code expr} in alerts.yml. */
    static List<String> alertExprs() {
        try {
            JsonNode doc = new YAMLMapper().readTree(alertsFile().toFile());
            List<String> out = new ArrayList<>();
            for (JsonNode g : doc.path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    out.add(r.path("expr").asText());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metric names an expression reads. */
    static Set<String> metricNames(String expr) {
        String bare = STRING.matcher(expr).replaceAll("\"\"");
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(bare);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
