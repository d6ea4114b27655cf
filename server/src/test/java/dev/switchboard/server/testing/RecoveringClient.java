package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A test client that behaves like an SDK behind a load balancer: when its connection drops it
 * reconnects to the next node and resubscribes with the epoch and offset it last saw, and it
 * resubscribes when the server ends its subscription with insufficient state (2500). It records
 * every publication offset it is given, from subscribe replies and pushes, in order.
 */
public final class RecoveringClient implements AutoCloseable {

    /** Longest one {@link #pump(Duration)} call keeps processing a busy stream. */
    static final Duration PUMP_BUDGET = Duration.ofMillis(250);

    private final Supplier<String> nextUrl;
    private final String token;
    private final String channel;
    private final List<Long> offsets = new ArrayList<>();
    private final List<Boolean> recoveries = new ArrayList<>();
    private WsTestClient ws;
    private String epoch = "";
    private long offset;
    private long id = 1;
    private int reconnects;
    private int insufficientState;

    public RecoveringClient(Supplier<String> nextUrl, String token, String channel) {
        this.nextUrl = nextUrl;
        this.token = token;
        this.channel = channel;
        connect(false);
    }

    private void connect(boolean recover) {
        while (true) {
            try {
                ws = WsTestClient.open(nextUrl.get());
                JsonNode c = ws.connect(token);
                if (!c.has("connect")) {
                    ws.close();
                    continue;
                }
                id = 1;
                subscribe(recover);
                return;
            } catch (RuntimeException | AssertionError e) {
                // That node is down or going down: a load balancer would send us to another.
                sleep(50);
            }
        }
    }

    private void subscribe(boolean recover) {
        long cmd = ++id;
        String rec = recover ? ",\"recover\":true,\"epoch\":\"" + epoch + "\",\"offset\":" + offset : "";
        ws.send("{\"id\":" + cmd + ",\"subscribe\":{\"channel\":\"" + channel + "\"" + rec + "}}");
        JsonNode r = ws.reply(cmd).get("subscribe");
        if (r == null) {
            throw new AssertionError("subscribe failed");
        }
        if (recover) {
            recoveries.add(r.path("recovered").asBoolean(false));
        }
        epoch = r.path("epoch").asText("");
        if (r.has("publications")) {
            for (JsonNode p : r.get("publications")) {
                record(p.get("offset").asLong());
            }
        }
        if (!recover || !r.path("recovered").asBoolean(false)) {
            offset = Math.max(offset, r.path("offset").asLong(0));
        }
    }

    private void record(long o) {
        offsets.add(o);
        offset = o;
    }

    /**
     * Processes what arrived until {@code idle} passes with nothing new, reconnecting and
     * resubscribing as needed.
     */
    public void pump(Duration idle) {
        // Bounded, so a caller pumping several clients in turn is not held by a busy stream.
        long end = System.nanoTime() + Math.max(idle.toNanos(), PUMP_BUDGET.toNanos());
        while (System.nanoTime() < end) {
            JsonNode n = ws.poll(idle);
            if (n == null) {
                if (!ws.isOpen()) {
                    reconnects++;
                    connect(true);
                    continue;
                }
                return;
            }
            JsonNode push = n.path("push");
            if (push.has("pub") && channel.equals(push.path("channel").asText())) {
                record(push.get("pub").get("offset").asLong());
            } else if (push.has("unsubscribe") && push.at("/unsubscribe/code").asInt() == 2500) {
                insufficientState++;
                subscribe(true);
            }
        }
    }

    /** Pumps until {@code count} publications arrived or the deadline passes. */
    public void pumpUntil(int count, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (offsets.size() < count && System.nanoTime() < end) {
            pump(Duration.ofMillis(200));
        }
    }

    public List<Long> offsets() {
        return offsets;
    }

    public List<Boolean> recoveries() {
        return recoveries;
    }

    public int reconnects() {
        return reconnects;
    }

    public int insufficientState() {
        return insufficientState;
    }

    public String epoch() {
        return epoch;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        ws.close();
    }
}
