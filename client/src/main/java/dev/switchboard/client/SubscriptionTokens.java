package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A subscription's token life cycle: fetching tokens from the subscription's supplier and
 * refreshing an expiring one in place with {@code sub_refresh}. Event thread only.
 */
final class SubscriptionTokens {

    /** Bounds of the random wait before retrying a failed {@code sub_refresh} (as centrifuge-js). */
    static final Duration RETRY_MIN = Duration.ofSeconds(10);

    static final Duration RETRY_MAX = Duration.ofSeconds(20);

    private final Subscription sub;
    private final ClientCore core;
    private ScheduledFuture<?> task;

    SubscriptionTokens(Subscription sub, ClientCore core) {
        this.sub = sub;
        this.core = core;
    }

    /** A token from the supplier, failing after the connect timeout. */
    CompletableFuture<String> fetch() {
        CompletableFuture<String> f = new CompletableFuture<>();
        sub.supplyToken().whenComplete((t, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(t);
            }
        });
        return f.orTimeout(core.options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The server said the subscription token expires in {@code ttlSeconds}. */
    void schedule(long ttlSeconds) {
        cancel();
        if (sub.options().tokenSupplier().isEmpty()) {
            EventLoop.log.warn(
                    "switchboard client: subscription token of {} expires in {} s and no tokenSupplier is set",
                    sub.channel(),
                    ttlSeconds);
            return;
        }
        task = core.schedule(this::refresh, TokenRefresh.delay(Duration.ofSeconds(ttlSeconds)));
    }

    void cancel() {
        EventLoop.cancel(task);
        task = null;
    }

    private void retry() {
        long ms = ThreadLocalRandom.current().nextLong(RETRY_MIN.toMillis(), RETRY_MAX.toMillis() + 1);
        task = core.schedule(this::refresh, Duration.ofMillis(ms));
    }

    private void refresh() {
        task = null;
        if (sub.state() != SubscriptionState.SUBSCRIBED) {
            return;
        }
        fetch().whenComplete((t, e) -> core.post(() -> {
            if (sub.state() != SubscriptionState.SUBSCRIBED) {
                return;
            }
            if (e != null) {
                sub.fireError(new SwitchboardException(
                        SwitchboardException.SUBSCRIPTION_TOKEN, "subscription token supplier failed: " + e, true));
                retry();
            } else if (t == null || t.isEmpty()) {
                sub.toUnsubscribed(SubscriptionStateEvent.UNAUTHORIZED, "unauthorized", true);
            } else {
                sub.setToken(t);
                send(t);
            }
        }));
    }

    private void send(String t) {
        core.sendNow(new Call(
                "sub_refresh", Codec.object().put("channel", sub.channel()).put("token", t), new Call.Outcome() {
                    @Override
                    public void succeeded(JsonNode r) {
                        if (sub.state() == SubscriptionState.SUBSCRIBED
                                && r.path("expires").asBoolean(false)) {
                            schedule(r.path("ttl").asLong(0));
                        }
                    }

                    @Override
                    public void failed(SwitchboardException err) {
                        if (sub.state() != SubscriptionState.SUBSCRIBED
                                || err.code() == SwitchboardException.TRANSPORT_CLOSED) {
                            return;
                        }
                        sub.fireError(err);
                        if (err.code() < 100 || err.temporary()) {
                            retry();
                        } else {
                            sub.toUnsubscribed(err.code(), err.getMessage(), true);
                        }
                    }
                }));
    }
}
