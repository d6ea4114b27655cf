package dev.switchboard.transport.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Renders {@code /metrics} off the event loops. A scrape walks every meter and formats text; it
 * runs once per scrape interval, so it stays in the interpreter, and took 30–130 ms per call on the
 * bench machine. On an event loop that is a stall of every connection the loop serves, seen as a
 * latency spike each time Prometheus scrapes. Here it takes one thread of its own, one scrape at a
 * time, with a short bounded queue: more waiting scrapes than that are refused, not piled up.
 */
final class MetricsRendering {

    /** Scrapes that may wait for the one running; a Prometheus server or two never queue more. */
    static final int MAX_WAITING = 8;

    private static final ThreadPoolExecutor EXECUTOR = executor();

    private MetricsRendering() {}

    /**
     * The text of {@code metrics}, rendered on the metrics thread; completes exceptionally with
     * {@link RejectedExecutionException} when {@link #MAX_WAITING} scrapes are already waiting.
     */
    static CompletableFuture<String> render(Supplier<String> metrics) {
        try {
            return CompletableFuture.supplyAsync(metrics, EXECUTOR);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ThreadPoolExecutor executor() {
        ThreadPoolExecutor e =
                new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_WAITING), r -> {
                    Thread t = new Thread(r, "switchboard-metrics");
                    t.setDaemon(true);
                    return t;
                });
        // No thread is kept while nobody scrapes: embedded servers in tests come and go.
        e.allowCoreThreadTimeOut(true);
        return e;
    }
}
