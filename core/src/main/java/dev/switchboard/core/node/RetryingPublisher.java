package dev.switchboard.core.node;

import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.protocol.ProtocolError;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Publishes with retries that are safe: every publish carries an idempotency key (the caller's
 * or a random one), so a retry after an ambiguous failure never publishes twice. Temporary
 * failures are retried with exponential backoff and full jitter; a circuit breaker fails calls
 * at once while the engine is known to be down, instead of piling up retries.
 *
 * <pre>{@code
 * RetryingPublisher publisher = RetryingPublisher.builder(node, scheduler).maxAttempts(5).build();
 * publisher.publish("orders:42", json, PublishParams.DEFAULT)
 *     .exceptionally(e -> { log.warn("not published", e); return null; });
 * }</pre>
 */
public final class RetryingPublisher {

    /** Default {@link Builder#maxAttempts(int)}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** Default {@link Builder#initialBackoff(Duration)}: the first retry waits up to this. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(50);
    /** Default {@link Builder#maxBackoff(Duration)}: no retry waits longer. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);
    /** Default {@link Builder#failureThreshold(int)}: consecutive temporary failures that open the breaker. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    /** Default {@link Builder#openDuration(Duration)}: how long an open breaker fails calls at once. */
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(2);

    /** The error an open breaker fails calls with: temporary, so callers may retry later. */
    public static final ProtocolError CIRCUIT_OPEN =
            ProtocolError.INTERNAL.withMessage("engine unavailable (circuit open)");

    /** What to publish: one attempt of the underlying node publish. */
    @FunctionalInterface
    interface Target {
        CompletableFuture<StreamPosition> publish(String channel, byte[] data, PublishParams params);
    }

    private final Target target;
    private final ScheduledExecutorService scheduler;
    private final int maxAttempts;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final int failureThreshold;
    private final long openMillis;
    private int consecutiveFailures;
    private long openUntil;
    private boolean probing;

    private RetryingPublisher(Builder b) {
        this.target = b.target;
        this.scheduler = b.scheduler;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoffMillis = b.initialBackoff.toMillis();
        this.maxBackoffMillis = b.maxBackoff.toMillis();
        this.failureThreshold = b.failureThreshold;
        this.openMillis = b.openDuration.toMillis();
    }

    /**
     * A builder publishing through a node; retries are scheduled on the given scheduler.
     */
    public static Builder builder(Node node, ScheduledExecutorService scheduler) {
        return new Builder(node::publish, scheduler);
    }

    static Builder builder(Target target, ScheduledExecutorService scheduler) {
        return new Builder(target, scheduler);
    }

    /** Whether the breaker is failing calls at once right now. */
    public synchronized boolean isOpen() {
        return System.currentTimeMillis() < openUntil;
    }

    /**
     * Publishes, retrying temporary failures. Fails with the last error after the last attempt,
     * at once with a non-temporary error, or at once with {@link #CIRCUIT_OPEN}.
     */
    public CompletableFuture<StreamPosition> publish(String channel, byte[] data, PublishParams params) {
        PublishParams keyed = params.idempotencyKey() != null
                ? params
                : PublishParams.builder()
                        .idempotencyKey(UUID.randomUUID().toString())
                        .tags(params.tags())
                        .skipHistory(params.skipHistory())
                        .info(params.info())
                        .build();
        CompletableFuture<StreamPosition> result = new CompletableFuture<>();
        attempt(channel, data, keyed, 1, result);
        return result;
    }

    private void attempt(
            String channel, byte[] data, PublishParams params, int n, CompletableFuture<StreamPosition> result) {
        if (!admit()) {
            result.completeExceptionally(CIRCUIT_OPEN);
            return;
        }
        CompletableFuture<StreamPosition> f;
        try {
            f = target.publish(channel, data, params);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((pos, err) -> {
            if (err == null) {
                succeeded();
                result.complete(pos);
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            boolean temporary = cause instanceof ProtocolError pe && pe.temporary();
            if (!temporary) {
                result.completeExceptionally(cause);
                return;
            }
            failed();
            if (n >= maxAttempts) {
                result.completeExceptionally(cause);
                return;
            }
            long cap = Math.min(maxBackoffMillis, initialBackoffMillis << Math.min(n - 1, 20));
            long delay = ThreadLocalRandom.current().nextLong(cap + 1);
            Executor later = task -> scheduler.schedule(task, delay, TimeUnit.MILLISECONDS);
            later.execute(() -> attempt(channel, data, params, n + 1, result));
        });
    }

    /** Closed: pass. Open: refuse until the open period ends, then let one probe through. */
    private synchronized boolean admit() {
        long now = System.currentTimeMillis();
        if (consecutiveFailures < failureThreshold) {
            return true;
        }
        if (now < openUntil || probing) {
            return false;
        }
        probing = true;
        return true;
    }

    private synchronized void succeeded() {
        consecutiveFailures = 0;
        openUntil = 0;
        probing = false;
    }

    private synchronized void failed() {
        consecutiveFailures++;
        probing = false;
        if (consecutiveFailures >= failureThreshold) {
            openUntil = System.currentTimeMillis() + openMillis;
        }
    }

    /** Builder of {@link RetryingPublisher}. */
    public static final class Builder {
        private final Target target;
        private final ScheduledExecutorService scheduler;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
        private Duration openDuration = DEFAULT_OPEN_DURATION;

        private Builder(Target target, ScheduledExecutorService scheduler) {
            this.target = Objects.requireNonNull(target);
            this.scheduler = Objects.requireNonNull(scheduler);
        }

        public Builder maxAttempts(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1");
            }
            maxAttempts = v;
            return this;
        }

        public Builder initialBackoff(Duration v) {
            initialBackoff = Objects.requireNonNull(v);
            return this;
        }

        public Builder maxBackoff(Duration v) {
            maxBackoff = Objects.requireNonNull(v);
            return this;
        }

        public Builder failureThreshold(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("failureThreshold must be >= 1");
            }
            failureThreshold = v;
            return this;
        }

        public Builder openDuration(Duration v) {
            openDuration = Objects.requireNonNull(v);
            return this;
        }

        public RetryingPublisher build() {
            return new RetryingPublisher(this);
        }
    }
}
