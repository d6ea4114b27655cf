package dev.switchboard.spring;

import dev.switchboard.transport.SwitchboardServer;

/**
 * Adds the application's hooks and handlers to the auto-configured {@link SwitchboardServer}
 * before it is built. Declare one or more as beans; they run in {@code @Order} order, each on
 * the same builder, so a later one may replace what an earlier one set.
 *
 * <pre>{@code
 * @Bean
 * SwitchboardCustomizer switchboardHooks(Accounts accounts, Executor appExecutor) {
 *     return builder -> builder
 *         .onSubscribe(req -> CompletableFuture.supplyAsync(() -> accounts.maySubscribe(req), appExecutor))
 *         .rpc("profile", req -> CompletableFuture.supplyAsync(() -> accounts.profileJson(req.client().user()), appExecutor));
 * }
 * }</pre>
 *
 * <p>The configuration ({@code switchboard.*}) and the meter registry are already set on the
 * builder when customizers run; a customizer may still replace them, or set an engine.
 */
@FunctionalInterface
public interface SwitchboardCustomizer {

    /** Configures the builder of the node's server. */
    void customize(SwitchboardServer.Builder builder);
}
