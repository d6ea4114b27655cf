package dev.switchboard.core.node;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.hook.RefreshDecision;
import dev.switchboard.core.hook.RefreshHandler;
import dev.switchboard.core.hook.RefreshRequest;
import dev.switchboard.core.protocol.Disconnect;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side refresh of one connection: when its expiry comes, asks the node's
 * {@link RefreshHandler} once and applies the answer. Without a handler the client refreshes
 * with a token and {@link Client#tick} closes it 3005 after the grace.
 */
final class ServerRefresh {

    private static final Logger log = LoggerFactory.getLogger(ServerRefresh.class);

    private final Client client;
    /** True while a call is out: the tick comes back every few hundred milliseconds. */
    private volatile boolean inFlight;

    ServerRefresh(Client client) {
        this.client = client;
    }

    /** Called by the tick once the expiry has passed (no grace: nobody has to send a token). */
    void expiryCame(RefreshHandler handler, long expireAt) {
        if (inFlight) {
            return;
        }
        inFlight = true;
        CompletionStage<RefreshDecision> stage;
        try {
            stage = handler.onRefresh(new RefreshRequest(
                    client.id(), client.userId(), client.transport.name(), expireAt, client.transport.headers()));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new IllegalStateException("refresh hook returned null"));
        }
        stage.whenComplete(this::apply);
    }

    private void apply(RefreshDecision d, Throwable err) {
        try {
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
                client.close(Disconnect.EXPIRED);
                return;
            }
            if (d.disconnect() != null) {
                client.close(d.disconnect());
                return;
            }
            long nowSeconds = client.node.clock().millis() / 1000;
            if (d.expireAt() <= nowSeconds) {
                client.close(Disconnect.EXPIRED);
                return;
            }
            if (d.info() != null) {
                ClientInfo old = client.info();
                client.info(new ClientInfo(old.client(), old.user(), d.info(), old.chanInfo()));
            }
            client.expireAt(d.expireAt());
        } finally {
            inFlight = false;
        }
    }
}
