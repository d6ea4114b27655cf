package dev.switchboard.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes through the server API ({@code POST /api/publish}) on one keep-alive {@link HttpLane}:
 * queued publications go one request at a time, the next as soon as the previous is answered (a
 * lane that falls behind shows up as latency, measured from each publication's due time).
 */
final class ApiPublisher implements Publisher {

    private final LoadGen lg;
    private final HttpLane lane;
    private final Queue<long[]> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private boolean busy; // event loop only

    ApiPublisher(LoadGen lg, HttpLane lane) {
        this.lg = lg;
        this.lane = lane;
    }

    @Override
    public void enqueuePublish(int channelIndex, long t) {
        outbox.add(new long[] {channelIndex, t});
    }

    @Override
    public void flushOutbox() {
        if (!outbox.isEmpty() && scheduled.compareAndSet(false, true)) {
            lane.channel().eventLoop().execute(() -> {
                scheduled.set(false);
                next();
            });
        }
    }

    private void next() {
        if (busy) {
            return;
        }
        long[] m = outbox.poll();
        if (m == null) {
            return;
        }
        busy = true;
        String body = "{\"channel\":\"" + lg.channelName((int) m[0]) + "\",\"data\":" + lg.payload.toJson(m[1]) + "}";
        lg.published.increment();
        lane.post(body.getBytes(StandardCharsets.UTF_8)).whenComplete((err, t) -> {
            busy = false;
            lg.publishReply(err == null && t == null, err != null ? err : t != null ? t.toString() : null);
            next();
        });
    }

    void close() {
        lane.close();
    }
}
