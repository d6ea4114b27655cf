package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One figure of one system over the repeats: every run's value (null where that run has none,
 * so index i is repeat i + 1 for every system) and their median, min and max.
 */
record Spread(List<Double> runs, double median, double min, double max, int count) {

    /** The spread of {@code runs}, or null when no run has a value. */
    static Spread of(List<Double> runs) {
        List<Double> v = new ArrayList<>(runs.stream().filter(Objects::nonNull).toList());
        if (v.isEmpty()) {
            return null;
        }
        v.sort(Double::compare);
        int n = v.size();
        double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return new Spread(runs, median, v.get(0), v.get(n - 1), n);
    }

    /** Run i's value, or null. */
    Double run(int i) {
        return i < runs.size() ? runs.get(i) : null;
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object().put("median", median).put("min", min).put("max", max);
        var a = o.putArray("runs");
        runs.forEach(x -> {
            if (x == null) {
                a.addNull();
            } else {
                a.add(x);
            }
        });
        return o;
    }
}
