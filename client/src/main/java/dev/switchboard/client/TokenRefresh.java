package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.wire.WireCodes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The connection token: the current one, fetching new ones from the application's supplier, and
 * refreshing it on a live connection before it expires ({@code refresh} command). Event thread only.
 */
final class TokenRefresh {

    /** Share of the token's remaining lifetime (after the rounding margin) left when the refresh starts. */
    static final double LEAD_FRACTION = 0.2;
    /** Token expiry and the server's {@code ttl} are whole seconds: up to this much is lost to rounding. */
    static final Duration TTL_GRANULARITY = Duration.ofSeconds(1);
    /** Longest head start of a refresh before expiry (beyond the rounding). */
    static final Duration MAX_LEAD = Duration.ofSeconds(60);
    /** Bounds of the random wait before retrying a failed refresh. */
    static final Duration RETRY_MIN = Duration.ofSeconds(5);

    static final Duration RETRY_MAX = Duration.ofSeconds(10);

    private final ClientCore core;
    private String token;
    private ScheduledFuture<?> task;
    private boolean warned;

    TokenRefresh(ClientCore core) {
        this.core = core;
        this.token = core.options.token().orElse(null);
    }

    boolean hasToken() {
        return token != null;
    }

    Optional<String> current() {
        return Optional.ofNullable(token);
    }

    void set(String t) {
        token = t;
    }

    /** The server said the token expired (109): the next connect asks the supplier. */
    void expired() {
        token = null;
    }

    /**
     * When to refresh a token that expires in {@code ttl} (whole seconds, as the server reports
     * it): {@link #TTL_GRANULARITY} early for the rounding of {@code exp} and {@code ttl} to
     * seconds, plus a fifth of the rest, at most {@link #MAX_LEAD}.
     */
    static Duration delay(Duration ttl) {
        long ms = Math.max(0, ttl.toMillis() - TTL_GRANULARITY.toMillis());
        long lead = Math.min((long) (ms * LEAD_FRACTION), MAX_LEAD.toMillis());
        return Duration.ofMillis(ms - lead);
    }

    /** Asks the supplier for a token, failing after the connect timeout. */
    CompletableFuture<String> fetch() {
        CompletableFuture<String> f = new CompletableFuture<>();
        try {
            CompletionStage<String> s =
                    core.options.tokenSupplier().orElseThrow().get();
            if (s == null) {
                f.completeExceptionally(new IllegalStateException("token supplier returned no CompletionStage"));
            } else {
                s.whenComplete((t, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(t);
                    }
                });
            }
        } catch (Throwable e) {
            f.completeExceptionally(e);
        }
        return f.orTimeout(core.options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The server said the token of connection {@code c} expires in {@code ttlSeconds}. */
    void schedule(Connection c, long ttlSeconds) {
        cancel();
        if (core.options.tokenSupplier().isEmpty()) {
            if (warned) {
                return;
            }
            warned = true;
            EventLoop.log.warn(
                    "switchboard client: the connection token expires in {} s and no tokenSupplier is set;"
                            + " the server will close the connection",
                    ttlSeconds);
            return;
        }
        task = core.schedule(() -> refresh(c), delay(Duration.ofSeconds(ttlSeconds)));
    }

    void cancel() {
        EventLoop.cancel(task);
        task = null;
    }

    private void retry(Connection c) {
        long ms = ThreadLocalRandom.current().nextLong(RETRY_MIN.toMillis(), RETRY_MAX.toMillis() + 1);
        task = core.schedule(() -> refresh(c), Duration.ofMillis(ms));
    }

    private void refresh(Connection c) {
        task = null;
        if (!core.isCurrent(c) || !c.connected) {
            return;
        }
        fetch().whenComplete((t, e) -> core.post(() -> {
            if (!core.isCurrent(c)) {
                return;
            }
            if (e != null) {
                EventLoop.log.warn("switchboard client: token supplier failed; retrying the refresh", e);
                core.fireError(new SwitchboardException(
                        SwitchboardException.REFRESH_TOKEN, "token supplier failed: " + e, true));
                retry(c);
            } else if (t == null || t.isEmpty()) {
                core.toDisconnected(StateEvent.UNAUTHORIZED, "unauthorized");
            } else {
                token = t;
                send(c, t);
            }
        }));
    }

    private void send(Connection c, String t) {
        ObjectNode p = Codec.object().put("token", t);
        core.sendNow(new Call("refresh", p, new Call.Outcome() {
            @Override
            public void succeeded(JsonNode r) {
                if (core.isCurrent(c) && r.path("expires").asBoolean(false)) {
                    schedule(c, r.path("ttl").asLong());
                }
            }

            @Override
            public void failed(SwitchboardException err) {
                if (!core.isCurrent(c) || err.code() == SwitchboardException.TRANSPORT_CLOSED) {
                    return;
                }
                core.fireError(err);
                if (err.code() < 100 || err.temporary() || err.code() == WireCodes.TOKEN_EXPIRED) {
                    retry(c);
                } else {
                    core.toDisconnected(err.code(), err.getMessage());
                }
            }
        }));
    }
}
