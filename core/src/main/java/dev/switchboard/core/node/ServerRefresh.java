package dev.switchboard.core.node;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.hook.RefreshDecision;
import dev.switchboard.core.hook.RefreshHandler;
import dev.switchboard.core.hook.RefreshRequest;
import dev.switchboard.core.hook.SubRefreshHandler;
import dev.switchboard.core.hook.SubRefreshRequest;
import dev.switchboard.core.protocol.Disconnect;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side refresh of one connection and of its subscriptions: when an expiry comes, asks the
 * node's {@link RefreshHandler} (connection) or {@link SubRefreshHandler} (subscription) once
 * and applies the answer. Without a handler the client refreshes with a token and
 * {@link Client#tick} closes it (3005 / 3006) after the grace.
 */
final class ServerRefresh {

    private static final Logger log = LoggerFactory.getLogger(ServerRefresh.class);

    private final Client client;
    /** True while a call is out: the tick comes back every few hundred milliseconds. */
    private volatile boolean inFlight;

    ServerRefresh(Client client) {
        this.client = client;
    }

    /** Called by the tick once the connection's expiry has passed (no grace: nobody has to send a token). */
    void expiryCame(RefreshHandler handler, long expireAt) {
        if (inFlight) {
            return;
        }
        inFlight = true;
        run(
                () -> handler.onRefresh(new RefreshRequest(
                        client.id(),
                        client.userId(),
                        client.transport.name(),
                        expireAt,
                        client.transport.headers(),
                        client.backend.emulatedHeaders(),
                        client.backend.meta())),
                Disconnect.EXPIRED,
                () -> true,
                d -> {
                    if (d.info() != null) {
                        ClientInfo old = client.info();
                        client.info(new ClientInfo(old.client(), old.user(), d.info(), old.chanInfo()));
                    }
                    if (d.meta() != null) {
                        client.backend.meta(d.meta());
                    }
                    client.expireAt(d.expireAt());
                },
                () -> inFlight = false);
    }

    /** Called by the tick once a server-refreshed subscription's expiry has passed. */
    void subExpiryCame(SubRefreshHandler handler, ClientSubscription sub) {
        if (sub.refreshing) {
            return;
        }
        sub.refreshing = true;
        long expireAt = sub.expireAt;
        run(
                () -> handler.onSubRefresh(new SubRefreshRequest(
                        client.id(),
                        client.userId(),
                        sub.channel,
                        client.transport.name(),
                        expireAt,
                        client.transport.headers(),
                        client.backend.emulatedHeaders(),
                        client.backend.meta())),
                Disconnect.SUB_EXPIRED,
                () -> client.subscriptions().get(sub.channel) == sub,
                d -> {
                    synchronized (client) {
                        if (d.info() != null) {
                            sub.info = sub.info.withChanInfo(d.info());
                        }
                        sub.expireAt = d.expireAt();
                    }
                    if (d.info() != null && sub.options.presence() && !sub.subscribing) {
                        // Others see the new channel info now, not at the next presence refresh.
                        client.node
                                .presenceManager()
                                .addPresence(
                                        sub.channel,
                                        sub.info,
                                        client.node.options().presenceTtl());
                    }
                },
                () -> sub.refreshing = false);
    }

    /**
     * Calls the hook and applies its decision: extend, end as {@code expired}, or close with the
     * decision's code; a failed stage closes with the exception's code or 3004. Nothing happens
     * when what was being refreshed is gone ({@code live} false).
     */
    private void run(
            Supplier<CompletionStage<RefreshDecision>> call,
            Disconnect expired,
            BooleanSupplier live,
            Consumer<RefreshDecision> extend,
            Runnable done) {
        CompletionStage<RefreshDecision> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new IllegalStateException("refresh hook returned null"));
        }
        stage.whenComplete((d, err) -> {
            try {
                if (live.getAsBoolean()) {
                    apply(d, err, expired, extend);
                }
            } finally {
                done.run();
            }
        });
    }

    private void apply(RefreshDecision d, Throwable err, Disconnect expired, Consumer<RefreshDecision> extend) {
        if (err != null) {
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof DisconnectException de) {
                client.close(de.disconnect());
            } else {
                log.warn("client {}: refresh hook failed: {}", client.id(), cause.toString());
                client.close(Disconnect.SERVER_ERROR);
            }
            return;
        }
        if (d == null || d.expired()) {
            client.close(expired);
            return;
        }
        if (d.disconnect() != null) {
            client.close(d.disconnect());
            return;
        }
        long nowSeconds = client.node.clock().millis() / 1000;
        if (d.expireAt() <= nowSeconds) {
            client.close(expired);
            return;
        }
        extend.accept(d);
    }
}
