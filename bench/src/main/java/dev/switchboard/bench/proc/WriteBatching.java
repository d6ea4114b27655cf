package dev.switchboard.bench.proc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.Micros;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * How many messages Switchboard nodes put in each socket write over a window, from their
 * {@code /metrics} ({@code switchboard_transport_messages_sent_total} over
 * {@code switchboard_transport_writes_total}, all transports, all nodes). A write costs a system
 * call and the kernel's TCP work whatever it carries, so this ratio is what makes CPU per
 * delivery fall as the rate rises.
 */
public final class WriteBatching {

    private WriteBatching() {}

    /** Reads the counters at {@code fromUs} and {@code toUs} on a thread of its own; empty for the peers. */
    public static CompletableFuture<ObjectNode> measure(Cluster cl, long fromUs, long toUs) {
        if (!cl.system().equals("switchboard")) {
            return CompletableFuture.completedFuture(Json.object());
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                Micros.sleepUntil(fromUs);
                long[] a = counters(cl);
                Micros.sleepUntil(toUs);
                long[] b = counters(cl);
                ObjectNode out = Json.object();
                long messages = b[0] - a[0];
                long writes = b[1] - a[1];
                out.put("messages", messages).put("writes", writes);
                if (writes > 0) {
                    out.put("messagesPerWrite", Math.round(messages * 100.0 / writes) / 100.0);
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Json.object();
            } catch (IOException | RuntimeException e) {
                return Json.object().put("error", String.valueOf(e.getMessage()));
            }
        });
    }

    /** [messages sent, socket writes] summed over every node. */
    private static long[] counters(Cluster cl) throws IOException, InterruptedException {
        long[] sum = new long[2];
        for (int i = 0; i < cl.nodes().size(); i++) {
            for (String line : cl.getText(i, "/metrics").split("\n")) {
                if (line.startsWith("switchboard_transport_messages_sent_total{")) {
                    sum[0] += value(line);
                } else if (line.startsWith("switchboard_transport_writes_total{")) {
                    sum[1] += value(line);
                }
            }
        }
        return sum;
    }

    private static long value(String line) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
