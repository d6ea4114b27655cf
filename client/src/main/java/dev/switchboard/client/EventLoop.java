package dev.switchboard.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's single event thread (a daemon named {@code switchboard-client-N}). All mutable
 * client state is confined to it; other threads post tasks. Listeners and future completions of
 * the client run on it too, in order, so they must not block.
 */
final class EventLoop {

    static final Logger log = LoggerFactory.getLogger(SwitchboardClient.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    EventLoop() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "switchboard-client-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code r} on the event thread; {@code false} when the loop is shut down. */
    boolean post(Runnable r) {
        try {
            executor.execute(guard(r));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code r} on the event thread, or fails {@code f} with CLIENT_CLOSED when shut down. */
    void post(CompletableFuture<?> f, Runnable r) {
        if (!post(r)) {
            f.completeExceptionally(new SwitchboardException(SwitchboardException.CLIENT_CLOSED, "client closed"));
        }
    }

    /** Runs {@code r} on the event thread after {@code delay}; {@code null} when shut down. */
    ScheduledFuture<?> schedule(Runnable r, Duration delay) {
        try {
            return executor.schedule(guard(r), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs the tasks already posted, then stops; waits up to {@code wait} unless called from the loop. */
    void shutdown(Duration wait) {
        executor.shutdown();
        if (!inLoop()) {
            try {
                executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void cancel(Future<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Calls every listener; one that throws is logged and does not stop the others. */
    static <T> void fire(List<Consumer<T>> listeners, T event) {
        for (Consumer<T> l : listeners) {
            try {
                l.accept(event);
            } catch (Throwable t) {
                log.warn("switchboard client: listener failed on {}", event, t);
            }
        }
    }

    private static Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (Throwable t) {
                log.error("switchboard client: unexpected error on the event thread", t);
            }
        };
    }
}
