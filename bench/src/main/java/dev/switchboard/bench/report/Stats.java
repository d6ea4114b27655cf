package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** Latency summaries (milliseconds) and percentile curves of microsecond histograms. */
public final class Stats {

    private Stats() {}

    public static ObjectNode summary(Histogram h) {
        ObjectNode o = Json.object();
        o.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return o;
        }
        o.put("mean", ms(h.getMean()));
        o.put("p50", ms(h.getValueAtPercentile(50)));
        o.put("p90", ms(h.getValueAtPercentile(90)));
        o.put("p99", ms(h.getValueAtPercentile(99)));
        o.put("p99_9", ms(h.getValueAtPercentile(99.9)));
        o.put("p99_99", ms(h.getValueAtPercentile(99.99)));
        o.put("max", ms(h.getMaxValue()));
        return o;
    }

    /** The percentile curve: [percentile, ms] pairs, as HdrHistogram's percentile distribution. */
    public static ArrayNode curve(Histogram h) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        if (h.getTotalCount() == 0) {
            return a;
        }
        double last = -1;
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p == last) {
                continue;
            }
            last = p;
            a.addArray().add(Math.round(p * 10000) / 10000.0).add(ms(v.getValueIteratedTo()));
            if (p >= 100.0) {
                break;
            }
        }
        return a;
    }

    public static double ms(double micros) {
        return Math.round(micros) / 1000.0;
    }

    public static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
