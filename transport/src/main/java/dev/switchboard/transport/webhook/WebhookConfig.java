package dev.switchboard.transport.webhook;

import dev.switchboard.transport.proxy.ProxyConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The lifecycle webhooks (the {@code webhook} section, docs/webhooks.md): where events are POSTed
 * ({@link #http()}: endpoint, timeout, static headers, with the proxies' limits and circuit
 * breaker), whether subscription events are sent too, how many events go in one POST, how long
 * a failing backend waits at most between attempts, and how many events may wait.
 *
 * <pre>{@code
 * WebhookConfig webhooks = WebhookConfig.builder()
 *     .http(ProxyConfig.builder().enabled(true).endpoint("http://127.0.0.1:9000/rt/events")
 *         .staticHeaders(Map.of("Authorization", "Bearer s3cret")).build())
 *     .subscriptionEvents(true)
 *     .build();
 * }</pre>
 */
public final class WebhookConfig {

    /** Default {@link #timeout}: a batch is one small POST, but a busy backend gets a moment. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link #batchSize()}: events in one POST. */
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** Largest {@link #batchSize()}: a POST stays well under a megabyte. */
    public static final int MAX_BATCH_SIZE = 1000;
    /** Default {@link #maxRetryInterval()}: the longest pause between attempts at a failing backend. */
    public static final Duration DEFAULT_MAX_RETRY_INTERVAL = Duration.ofSeconds(5);
    /**
     * Largest {@link #timeout} and {@link #maxRetryInterval()}: together they must stay well under
     * the time after which another node takes over a batch (the Redis engine's 30 s).
     */
    public static final Duration MAX_WAIT = Duration.ofSeconds(10);
    /** Default {@link #maxBacklog()}: events waiting for the backend before the oldest are dropped. */
    public static final int DEFAULT_MAX_BACKLOG = 100_000;

    private static final WebhookConfig DISABLED = builder().build();

    private final ProxyConfig http;
    private final boolean subscriptionEvents;
    private final int batchSize;
    private final Duration maxRetryInterval;
    private final int maxBacklog;

    private WebhookConfig(Builder b) {
        this.http = b.http;
        this.subscriptionEvents = b.subscriptionEvents;
        this.batchSize = b.batchSize;
        this.maxRetryInterval = b.maxRetryInterval;
        this.maxBacklog = b.maxBacklog;
    }

    /** No webhooks. */
    public static WebhookConfig disabled() {
        return DISABLED;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether events are queued and POSTed. */
    public boolean enabled() {
        return http.enabled();
    }

    /** The endpoint, timeout and static headers; the proxies' in-flight bound and circuit breaker. */
    public ProxyConfig http() {
        return http;
    }

    /** Whether {@code subscribed}/{@code unsubscribed} are sent too (off by default). */
    public boolean subscriptionEvents() {
        return subscriptionEvents;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration maxRetryInterval() {
        return maxRetryInterval;
    }

    public int maxBacklog() {
        return maxBacklog;
    }

    @Override
    public String toString() {
        return "{http=" + http + ", subscriptionEvents=" + subscriptionEvents + ", batchSize=" + batchSize
                + ", maxRetryInterval=" + maxRetryInterval + ", maxBacklog=" + maxBacklog + '}';
    }

    /** Builder of {@link WebhookConfig}; disabled until given an enabled {@link #http}. */
    public static final class Builder {
        private ProxyConfig http =
                ProxyConfig.builder().timeout(DEFAULT_TIMEOUT).build();
        private boolean subscriptionEvents;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration maxRetryInterval = DEFAULT_MAX_RETRY_INTERVAL;
        private int maxBacklog = DEFAULT_MAX_BACKLOG;

        private Builder() {}

        /** @throws IllegalArgumentException when its timeout is over {@link #MAX_WAIT} */
        public Builder http(ProxyConfig v) {
            Objects.requireNonNull(v, "http");
            if (v.timeout().compareTo(MAX_WAIT) > 0) {
                throw new IllegalArgumentException("a webhook timeout must be at most " + MAX_WAIT.toSeconds() + "s");
            }
            http = v;
            return this;
        }

        public Builder subscriptionEvents(boolean v) {
            subscriptionEvents = v;
            return this;
        }

        public Builder batchSize(int v) {
            if (v < 1 || v > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("batch size must be 1.." + MAX_BATCH_SIZE + ", got " + v);
            }
            batchSize = v;
            return this;
        }

        public Builder maxRetryInterval(Duration v) {
            if (v == null || v.toMillis() < 100 || v.compareTo(MAX_WAIT) > 0) {
                throw new IllegalArgumentException("max retry interval must be 100ms.." + MAX_WAIT.toSeconds() + "s");
            }
            maxRetryInterval = v;
            return this;
        }

        public Builder maxBacklog(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("max backlog must be at least 1, got " + v);
            }
            maxBacklog = v;
            return this;
        }

        public WebhookConfig build() {
            return new WebhookConfig(this);
        }
    }
}
