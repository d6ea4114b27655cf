package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The repeats of a scenario file: its {@code runs} (one {@code systems} object per full run of
 * every system) or, for a file of one run or from before repeats, its {@code systems} alone.
 */
final class Repeats {

    private Repeats() {}

    /** One {@code systems} object per repeat, in run order. */
    static List<JsonNode> runs(JsonNode scenario) {
        List<JsonNode> l = new ArrayList<>();
        if (scenario == null) {
            return l;
        }
        for (JsonNode r : scenario.path("runs")) {
            l.add(r.path("systems"));
        }
        if (l.isEmpty() && scenario.has("systems")) {
            l.add(scenario.path("systems"));
        }
        return l;
    }

    /** The systems of {@code scenarios} (an object of scenario files), Switchboard first, then as first seen. */
    static List<String> systems(JsonNode scenarios) {
        Set<String> s = new LinkedHashSet<>();
        s.add(Report.OURS);
        for (JsonNode sc : scenarios) {
            for (JsonNode run : runs(sc)) {
                for (Iterator<String> it = run.fieldNames(); it.hasNext(); ) {
                    s.add(it.next());
                }
            }
        }
        return new ArrayList<>(s);
    }

    /** What the report calls {@code system}. */
    static String label(String system) {
        return switch (system) {
            case Report.OURS -> "Switchboard";
            case "socketio" -> "Socket.IO redis-adapter";
            case "socketio-streams" -> "Socket.IO redis-streams + recovery";
            default -> system;
        };
    }
}
