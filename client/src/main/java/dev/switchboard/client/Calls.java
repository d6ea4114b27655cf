package dev.switchboard.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Command bookkeeping: ids (increasing per client, as centrifuge-js), the reply timeout of every
 * call (running from the moment the application called, so waiting for a connection counts), and
 * the calls queued while the client is connecting. Event thread only.
 */
final class Calls {

    private final EventLoop loop;
    private final Duration timeout;
    private final Supplier<Connection> current;
    private final List<Call> waiting = new ArrayList<>();
    private int nextId;

    Calls(EventLoop loop, Duration timeout, Supplier<Connection> current) {
        this.loop = loop;
        this.timeout = timeout;
        this.current = current;
    }

    /** Sends the calls in one frame on {@code c}, each with its timeout. */
    void send(Connection c, List<Call> calls) {
        List<Integer> ids = new ArrayList<>(calls.size());
        for (Call call : calls) {
            if (call.timeout == null) {
                arm(call);
            }
            ids.add(++nextId);
        }
        c.sendBatch(calls, ids);
    }

    /** Queues a call until {@link #flush}; its timeout starts now. */
    void hold(Call call) {
        arm(call);
        waiting.add(call);
    }

    /** Sends every queued call that has not timed out, one frame each. */
    void flush(Connection c) {
        List<Call> queued = new ArrayList<>(waiting);
        waiting.clear();
        for (Call q : queued) {
            if (!q.done()) {
                send(c, List.of(q));
            }
        }
    }

    /** Fails every queued call. */
    void failWaiting(SwitchboardException why) {
        List<Call> queued = new ArrayList<>(waiting);
        waiting.clear();
        queued.forEach(q -> q.fail(why));
    }

    private void arm(Call call) {
        call.timeout = loop.schedule(
                () -> {
                    waiting.remove(call);
                    Connection c = current.get();
                    if (c != null) {
                        c.forget(call);
                    }
                    call.fail(new SwitchboardException(SwitchboardException.TIMEOUT, "timeout", true));
                },
                timeout);
    }
}
