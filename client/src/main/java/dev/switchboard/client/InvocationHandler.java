package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;

/**
 * Answers a method the server invokes on this client (server → client RPC).
 *
 * <p>Complete the stage with the result: a {@link JsonNode} is sent as is, {@code null} as JSON
 * {@code null}, anything else is converted with Jackson. Throwing, or failing the stage, sends an
 * error answer: a {@link SwitchboardException} keeps its code and message, anything else becomes
 * code {@value SwitchboardException#HANDLER_ERROR} with the exception's message.
 *
 * <pre>{@code
 * client.handle("runTool", args -> CompletableFuture.supplyAsync(() -> tools.run(args), appExecutor));
 * client.handle("ping", args -> CompletableFuture.completedFuture(Map.of("ok", true)));
 * }</pre>
 *
 * <p>Handlers run on {@link ClientOptions#invocationExecutor()}; several may run at once, so they
 * must be thread-safe.
 */
@FunctionalInterface
public interface InvocationHandler {
    /**
     * @param data the invocation's arguments (JSON {@code null} node when none)
     * @return the result, possibly completed later
     * @throws Exception to answer with an error
     */
    CompletionStage<?> handle(JsonNode data) throws Exception;
}
