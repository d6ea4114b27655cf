package dev.switchboard.transport.proxy;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.hook.PublishDecision;
import dev.switchboard.core.hook.PublishHandler;
import dev.switchboard.core.hook.SubscribeDecision;
import dev.switchboard.core.hook.SubscribeHandler;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Routes subscribes and publishes by namespace, as Centrifugo does: a namespace with
 * {@code subscribe_proxy_enabled} (or {@code publish_proxy_enabled}) is decided by the proxy in
 * place of its {@code allow_*} rules; every other namespace by the application's own hook when
 * it has one, else by its rules, as before.
 *
 * <p>Subscribe order (a token never reaches a hook): a user-limited channel ({@code dm:#42,43}
 * with {@code allow_user_limited_channels}) is decided by its user list and never proxied; then
 * the proxy; then the rules. With {@code sub_refresh_proxy_enabled}, an {@code expire_at} from the
 * subscribe proxy is refreshed server side (the reply carries no {@code expires}).
 *
 * <pre>{@code
 * SubscribeHandler h = ChannelProxyHooks.subscribe(rules, new SubscribeProxy(client), appHook);
 * }</pre>
 */
final class ChannelProxyHooks {

    private ChannelProxyHooks() {}

    /** {@code proxy} for the namespaces that enable it, {@code app} (or the rules) for the others. */
    static SubscribeHandler subscribe(ChannelRules rules, SubscribeHandler proxy, SubscribeHandler app) {
        return req -> {
            ChannelOptions o = rules.optionsFor(req.channel()).orElse(null);
            if (o == null || !o.subscribeProxyEnabled()) {
                return app != null ? app.onSubscribe(req) : byRules(req.allowedByRules());
            }
            if (o.allowUserLimitedChannels() && ChannelRules.isUserLimited(req.channel())) {
                return byRules(req.allowedByRules());
            }
            if (proxy == null) {
                return CompletableFuture.completedFuture(SubscribeDecision.deny(ProtocolError.NOT_AVAILABLE));
            }
            return proxy.onSubscribe(req)
                    .thenApply(d ->
                            o.subRefreshProxyEnabled() && d.expireAt() > 0 ? d.withExpireAt(d.expireAt(), true) : d);
        };
    }

    /** {@code proxy} for the namespaces that enable it, {@code app} (or the rules) for the others. */
    static PublishHandler publish(ChannelRules rules, PublishHandler proxy, PublishHandler app) {
        return req -> {
            ChannelOptions o = rules.optionsFor(req.channel()).orElse(null);
            if (o == null || !o.publishProxyEnabled()) {
                return app != null
                        ? app.onPublish(req)
                        : CompletableFuture.completedFuture(
                                req.allowedByRules()
                                        ? PublishDecision.allow()
                                        : PublishDecision.deny(ProtocolError.PERMISSION_DENIED));
            }
            if (proxy == null) {
                return CompletableFuture.completedFuture(PublishDecision.deny(ProtocolError.NOT_AVAILABLE));
            }
            return proxy.onPublish(req);
        };
    }

    private static CompletionStage<SubscribeDecision> byRules(boolean allowed) {
        return CompletableFuture.completedFuture(
                allowed ? SubscribeDecision.allow() : SubscribeDecision.deny(ProtocolError.PERMISSION_DENIED));
    }
}
