package dev.switchboard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary over repeats and systems: medians, spreads, ratios against each peer, and targets. */
class FiguresTest {

    /** A fanout scenario file of three repeats: one fan-out figure per system and repeat (null: no step passed). */
    private static ObjectNode fanout(double[] ours, double[] peer, double[] streams) {
        ObjectNode sc = Json.object();
        sc.putObject("params").put("maxP99Ms", 50);
        var runs = sc.putArray("runs");
        for (int i = 0; i < ours.length; i++) {
            ObjectNode systems = runs.addObject().put("repeat", i + 1).putObject("systems");
            system(systems.putObject("switchboard"), ours[i]);
            system(systems.putObject("socketio"), peer[i]);
            system(systems.putObject("socketio-streams"), streams[i]);
        }
        return sc;
    }

    private static void system(ObjectNode s, double best) {
        s.putArray("steps").addObject().put("deliveredPerSec", best);
        if (best > 0) {
            s.putObject("best").put("deliveredPerSec", best);
        }
    }

    private static JsonNode row(ObjectNode scenarios, String metricStart) {
        for (JsonNode f : SummaryFigures.build(scenarios).json()) {
            if (f.path("metric").asText().startsWith(metricStart)) {
                return f;
            }
        }
        throw new AssertionError("no row " + metricStart);
    }

    @Test
    void medianSpreadAndRatioAgainstEachPeer() {
        ObjectNode scenarios = Json.object();
        scenarios.set(
                "fanout",
                fanout(new double[] {500_000, 400_000, 600_000}, new double[] {50_000, 100_000, 50_000}, new double[] {
                    25_000, 25_000, 40_000
                }));
        JsonNode f = row(scenarios, "deliveries/s (highest step");
        assertThat(f.path("values").path("switchboard").path("median").asDouble())
                .isEqualTo(500_000);
        assertThat(f.path("values").path("switchboard").path("min").asDouble()).isEqualTo(400_000);
        assertThat(f.path("values").path("switchboard").path("max").asDouble()).isEqualTo(600_000);
        assertThat(f.path("values").path("switchboard").path("runs")).hasSize(3);
        assertThat(f.path("advantage").path("socketio").asDouble()).isEqualTo(10.0);
        assertThat(f.path("advantage").path("socketio-streams").asDouble()).isEqualTo(20.0);
        // 400k in one repeat: not ">= 500k in every run", although the median is 500k.
        assertThat(f.path("met").asBoolean()).isFalse();
    }

    @Test
    void aRepeatWithoutAPassingStepCountsAsZero() {
        ObjectNode scenarios = Json.object();
        scenarios.set(
                "fanout", fanout(new double[] {600_000, 0, 700_000}, new double[] {1, 1, 1}, new double[] {1, 1, 1}));
        JsonNode f = row(scenarios, "deliveries/s (highest step");
        assertThat(f.path("values").path("switchboard").path("min").asDouble()).isZero();
        assertThat(f.path("met").asBoolean()).isFalse();
    }

    @Test
    void noWorseThanEachPeerIsJudgedRepeatByRepeat() {
        Spread ours = Spread.of(Arrays.asList(1.0, 3.0, 1.0));
        Spread peer = Spread.of(Arrays.asList(2.0, 2.0, 2.0));
        // Median 1 beats median 2, but repeat 2 is worse than the peer's repeat 2.
        assertThat(Figures.noWorseThanPeersEachRun(false).test(ours, Map.of("p", peer)))
                .isFalse();
        Spread partial = Spread.of(Arrays.asList(2.0, null, 2.0)); // the peer failed in repeat 2
        assertThat(Figures.noWorseThanPeersEachRun(false).test(ours, Map.of("p", partial)))
                .isTrue();
    }
}
