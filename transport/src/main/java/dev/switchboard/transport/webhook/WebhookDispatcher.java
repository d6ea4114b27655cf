package dev.switchboard.transport.webhook;

import dev.switchboard.core.engine.EventQueue;
import dev.switchboard.core.engine.EventQueue.Backlog;
import dev.switchboard.core.engine.EventQueue.QueuedEvent;
import dev.switchboard.core.engine.memory.MemoryEventQueue;
import dev.switchboard.transport.proxy.BurstLog;
import dev.switchboard.transport.proxy.ProxyClient;
import dev.switchboard.transport.proxy.ProxyConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a node's share of the lifecycle events to the backend: claims a batch from the
 * engine's {@link EventQueue}, POSTs it as {@code {"events":[…]}}, and acknowledges it once the
 * backend answered 2xx; on failure it retries the same batch with exponential backoff (with
 * jitter, up to {@link WebhookConfig#maxRetryInterval()}), keeping it claimed meanwhile. One batch
 * at a time per node; every node of a cluster runs one, so a dead node's share is taken over.
 *
 * <p>All of it runs on one thread of its own and the HTTP client's completions; nothing touches
 * an event loop. Meters: {@code switchboard_webhook_backlog_events},
 * {@code switchboard_webhook_oldest_event_age_seconds} (cluster-wide with Redis, read once a
 * second), {@code switchboard_webhook_events_delivered_total}, the HTTP calls as
 * {@code switchboard_proxy_*{proxy="webhook"}}, and {@code switchboard_webhook_events_dropped_total}
 * for the memory engine's bounded queue.
 *
 * <pre>{@code
 * WebhookDispatcher d = WebhookDispatcher.start(config, engine.eventQueue().orElseThrow(), node.options().id(), registry);
 * ...
 * d.close();
 * }</pre>
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** How often an idle dispatcher looks for new events (other nodes' included). */
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** First pause after a failed POST; doubled per attempt up to the config's maximum. */
    static final Duration FIRST_RETRY = Duration.ofMillis(200);
    /** Pause after the engine itself failed (Redis unreachable). */
    static final Duration ENGINE_RETRY = Duration.ofSeconds(1);
    /** How often the backlog meters are read. */
    static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(1);
    /** How long a closing dispatcher keeps delivering what is left (the memory engine's events die with it). */
    static final Duration CLOSE_DRAIN = Duration.ofSeconds(2);

    private static final byte[] PREFIX = "{\"events\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final WebhookConfig config;
    private final EventQueue queue;
    private final String consumer;
    private final ScheduledExecutorService thread;
    private final ProxyClient client;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter delivered;
    private final BurstLog engineLog = new BurstLog(log, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    private volatile Backlog backlog = Backlog.EMPTY;
    private volatile boolean closed;

    private WebhookDispatcher(WebhookConfig config, EventQueue queue, String consumer, MeterRegistry registry) {
        this.config = config;
        this.queue = queue;
        this.consumer = consumer;
        this.registry = registry;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-webhooks");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.http().timeout())
                .executor(thread)
                .build();
        this.client = new ProxyClient("webhook", config.http(), http, thread, registry, System::nanoTime);
        meters.addAll(client.meters());
        this.delivered = Counter.builder("switchboard_webhook_events_delivered")
                .description("Lifecycle events the backend acknowledged (2xx)")
                .register(registry);
        meters.add(delivered);
        meters.add(Gauge.builder("switchboard_webhook_backlog_events", this, d -> d.backlog.size())
                .description("Lifecycle events not yet delivered (the whole cluster's with Redis)")
                .register(registry));
        meters.add(Gauge.builder(
                        "switchboard_webhook_oldest_event_age_seconds", this, d -> d.backlog.oldestAgeMillis() / 1000.0)
                .description("How long the oldest undelivered lifecycle event has waited")
                .register(registry));
        if (queue instanceof MemoryEventQueue memory) {
            meters.add(FunctionCounter.builder("switchboard_webhook_events_dropped", memory, MemoryEventQueue::dropped)
                    .description("Lifecycle events dropped because the queue was full")
                    .register(registry));
        }
    }

    /**
     * Starts delivering.
     *
     * @param consumer this node's name in the queue (its node id)
     */
    public static WebhookDispatcher start(
            WebhookConfig config, EventQueue queue, String consumer, MeterRegistry registry) {
        WebhookDispatcher d = new WebhookDispatcher(config, queue, consumer, registry);
        d.thread.execute(d::poll);
        long every = BACKLOG_INTERVAL.toMillis();
        d.thread.scheduleWithFixedDelay(d::readBacklog, 0, every, TimeUnit.MILLISECONDS);
        log.info(
                "webhooks: POSTing lifecycle events to {}",
                ProxyConfig.redacted(config.http().endpoint()));
        return d;
    }

    private void poll() {
        if (closed) {
            return;
        }
        queue.claim(consumer, config.batchSize())
                .whenCompleteAsync(
                        (batch, err) -> {
                            if (closed) {
                                return;
                            }
                            if (err != null) {
                                engineLog.warn("webhook", "cannot read the event queue: " + err);
                                later(this::poll, ENGINE_RETRY.toMillis());
                            } else if (batch.isEmpty()) {
                                later(this::poll, POLL_INTERVAL.toMillis());
                            } else {
                                deliver(batch, 0);
                            }
                        },
                        thread);
    }

    private void deliver(List<QueuedEvent> batch, int attempt) {
        if (closed) {
            return; // still claimed: another node (or this one restarted) takes it over
        }
        client.post(body(batch))
                .whenCompleteAsync(
                        (ok, err) -> {
                            if (err == null) {
                                delivered.increment(batch.size());
                                queue.ack(batch)
                                        .whenCompleteAsync(
                                                (v, ackErr) -> {
                                                    if (ackErr != null) {
                                                        // Delivered but still queued: it goes again (at least once).
                                                        engineLog.warn(
                                                                "webhook",
                                                                "cannot acknowledge delivered events: " + ackErr);
                                                    }
                                                    poll();
                                                },
                                                thread);
                            } else if (!closed) {
                                // The client logged why (once per burst); keep the batch ours meanwhile.
                                queue.keep(consumer, batch);
                                later(() -> deliver(batch, attempt + 1), retryDelayMillis(attempt));
                            }
                        },
                        thread);
    }

    /** Exponential from {@link #FIRST_RETRY}, capped, with jitter so nodes do not retry in step. */
    long retryDelayMillis(int attempt) {
        long base = FIRST_RETRY.toMillis() << Math.min(attempt, 16);
        long capped = Math.min(base, config.maxRetryInterval().toMillis());
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    static byte[] body(List<QueuedEvent> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * batch.size());
        out.writeBytes(PREFIX);
        boolean first = true;
        for (QueuedEvent e : batch) {
            if (e.json().length == 0) {
                continue; // trimmed from the stream while claimed: nothing left to send
            }
            if (!first) {
                out.write(',');
            }
            out.writeBytes(e.json());
            first = false;
        }
        out.writeBytes(SUFFIX);
        return out.toByteArray();
    }

    private void later(Runnable r, long millis) {
        if (!closed) {
            thread.schedule(r, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void readBacklog() {
        queue.backlog().whenComplete((b, err) -> {
            if (b != null) {
                backlog = b;
            }
        });
    }

    /** The backlog as last read (once a second). */
    public Backlog backlog() {
        return backlog;
    }

    /**
     * Stops. With the memory engine, whose queue dies with the process, what is queued is
     * delivered first for up to {@link #CLOSE_DRAIN}; with Redis it waits there for the other
     * nodes (or this one's next start).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (queue instanceof MemoryEventQueue) {
            drain(System.nanoTime() + CLOSE_DRAIN.toNanos());
        }
        thread.shutdownNow();
        meters.forEach(registry::remove);
    }

    private void drain(long deadline) {
        try {
            while (System.nanoTime() < deadline) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                List<QueuedEvent> batch =
                        queue.claim(consumer, config.batchSize()).get(left, TimeUnit.MILLISECONDS);
                if (batch.isEmpty()) {
                    return;
                }
                client.post(body(batch)).get(Math.max(1, left), TimeUnit.MILLISECONDS);
                queue.ack(batch).join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("webhooks: stopped with events undelivered: {}", e.toString());
        }
    }
}
