package dev.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped Grafana dashboard and Prometheus rules are well formed: the dashboard parses and
 * every query names a metric, and {@code promtool} accepts the rules and passes their unit tests.
 * That every metric they name is exported is MetricsIT's job (it needs a running node).
 */
class DeployFilesTest {

    @Test
    void theDashboardIsValidGrafanaJsonWithAQueryOnEveryPanel() {
        JsonNode d = DeployedQueries.dashboard();
        assertThat(d.path("uid").asText()).isEqualTo("switchboard");
        // The datasource is a variable, so the dashboard imports into any Grafana with any Prometheus name.
        assertThat(d.path("templating").path("list").findValuesAsText("type")).contains("datasource");
        Set<Integer> ids = new HashSet<>();
        int graphs = 0;
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt()))
                    .as("unique panel id %s", p.path("id"))
                    .isTrue();
            assertThat(p.path("gridPos").has("w")).isTrue();
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            graphs++;
            assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(p.path("targets")).as("targets of %s", p.path("title")).isNotEmpty();
        }
        assertThat(graphs).isGreaterThanOrEqualTo(25);
        for (String expr : DeployedQueries.dashboardExprs()) {
            assertThat(DeployedQueries.metricNames(expr))
                    .as("metrics in %s", expr)
                    .isNotEmpty();
        }
    }

    @Test
    void everyAlertRuleNamesAMetric() {
        List<String> exprs = DeployedQueries.alertExprs();
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
        for (String expr : exprs) {
            assertThat(DeployedQueries.metricNames(expr))
                    .as("metrics in %s", expr)
                    .isNotEmpty();
        }
    }

    @Test
    void metricNamesAreReadFromPromQlNotFromLabelsOrLegends() {
        assertThat(DeployedQueries.metricNames(
                        "histogram_quantile(0.99, sum by (le, method) (rate(switchboard_api_calls_seconds_bucket{"
                                + "instance=~\"$instance\",job=\"switchboard_x\"}[$__rate_interval])))"))
                .containsExactly("switchboard_api_calls_seconds_bucket");
        assertThat(DeployedQueries.metricNames("up{job=\"switchboard\"} == 0 and process_cpu_usage > 1"))
                .containsExactly("process_cpu_usage", "up");
    }

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTests() throws Exception {
        String promtool = ExternalTools.findExecutable("promtool", "PROMTOOL");
        ExternalTools.requirePrerequisite(
                "promtool", promtool != null, "promtool not found (Debian: apt-get install prometheus)");
        Path dir = DeployedQueries.alertsFile().getParent();
        assertThat(run(dir, promtool, "check", "rules", "alerts.yml")).contains("SUCCESS");
        assertThat(run(dir, promtool, "test", "rules", "alerts_test.yml")).contains("SUCCESS");
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("%s finished", List.of(command))
                .isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", List.of(command), out).isZero();
        return out;
    }
}
