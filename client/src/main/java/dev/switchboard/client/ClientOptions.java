package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * Immutable settings of a {@link SwitchboardClient}, made with {@link SwitchboardClient#builder(URI)}.
 * Every setting has a default, named by a constant of this class.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClientOptions {

    /** Default {@link #name()}: the SDK name sent in {@code connect}, shown to the server's connect hook. */
    public static final String DEFAULT_NAME = "java";
    /** Default {@link #version()}: empty, not sent. */
    public static final String DEFAULT_VERSION = "";
    /** Default {@link #minReconnectDelay()}: the floor of every reconnect delay. */
    public static final Duration DEFAULT_MIN_RECONNECT_DELAY = Duration.ofMillis(500);
    /** Default {@link #maxReconnectDelay()}: the ceiling of the exponential reconnect delay. */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(20);
    /**
     * Default {@link #maxServerPingDelay()}: how late a server ping may be before the connection
     * is considered dead (same as centrifuge-js).
     */
    public static final Duration DEFAULT_MAX_SERVER_PING_DELAY = Duration.ofSeconds(10);
    /** Default {@link #commandTimeout()}: how long a command waits for its reply (same as centrifuge-js). */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link #connectTimeout()}: how long the TCP + TLS + WebSocket handshake may take. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default {@link #maxMessageSize()}: 16 MiB, the largest inbound WebSocket message (in chars)
     * the client assembles; a larger one closes the connection.
     */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

    private final URI uri;
    private final String token;
    private final Supplier<CompletionStage<String>> tokenSupplier;
    private final String name;
    private final String version;
    private final JsonNode data;
    private final Duration minReconnectDelay;
    private final Duration maxReconnectDelay;
    private final Duration maxServerPingDelay;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final int maxMessageSize;
    private final HttpClient httpClient;
    private final Executor invocationExecutor;

    ClientOptions(ClientBuilder b) {
        uri = b.uri;
        token = b.token;
        tokenSupplier = b.tokenSupplier;
        name = b.name;
        version = b.version;
        data = b.data == null ? null : b.data.deepCopy();
        minReconnectDelay = b.minReconnectDelay;
        maxReconnectDelay = b.maxReconnectDelay;
        maxServerPingDelay = b.maxServerPingDelay;
        commandTimeout = b.commandTimeout;
        connectTimeout = b.connectTimeout;
        maxMessageSize = b.maxMessageSize;
        httpClient = b.httpClient;
        invocationExecutor = b.invocationExecutor;
    }

    /** The server's WebSocket endpoint, e.g. {@code wss://rt.example.com/connection/websocket}. */
    public URI uri() {
        return uri;
    }
    /** The initial connection token; empty when none was set. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }
    /** Supplies fresh connection tokens; empty when none was set. */
    public Optional<Supplier<CompletionStage<String>>> tokenSupplier() {
        return Optional.ofNullable(tokenSupplier);
    }
    /** Client name sent in {@code connect}; default {@link #DEFAULT_NAME}. */
    public String name() {
        return name;
    }
    /** Client version sent in {@code connect} when not empty; default {@link #DEFAULT_VERSION}. */
    public String version() {
        return version;
    }
    /** Connect data sent in {@code connect} (for the server's connect hook); empty when none. */
    public Optional<JsonNode> data() {
        return Optional.ofNullable(data).map(JsonNode::deepCopy);
    }
    /** Floor of reconnect delays; default {@link #DEFAULT_MIN_RECONNECT_DELAY}. */
    public Duration minReconnectDelay() {
        return minReconnectDelay;
    }
    /** Ceiling of reconnect delays; default {@link #DEFAULT_MAX_RECONNECT_DELAY}. */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }
    /** Slack after the server's ping interval before the connection is declared dead; default {@link #DEFAULT_MAX_SERVER_PING_DELAY}. */
    public Duration maxServerPingDelay() {
        return maxServerPingDelay;
    }
    /** Reply timeout of every command; default {@link #DEFAULT_COMMAND_TIMEOUT}. */
    public Duration commandTimeout() {
        return commandTimeout;
    }
    /** WebSocket opening handshake timeout; default {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public Duration connectTimeout() {
        return connectTimeout;
    }
    /** Largest inbound message in chars; default {@link #DEFAULT_MAX_MESSAGE_SIZE}. */
    public int maxMessageSize() {
        return maxMessageSize;
    }
    /** The JDK HTTP client that opens WebSockets (TLS, proxy, authenticator); empty means one created per client. */
    public Optional<HttpClient> httpClient() {
        return Optional.ofNullable(httpClient);
    }
    /** Where invocation handlers run; default {@link ForkJoinPool#commonPool()}. */
    public Executor invocationExecutor() {
        return invocationExecutor == null ? ForkJoinPool.commonPool() : invocationExecutor;
    }

    @Override
    public String toString() {
        return "ClientOptions{uri=" + uri + ", token=" + (token == null ? "none" : "***")
                + ", tokenSupplier=" + (tokenSupplier != null) + ", name=" + name + ", minReconnectDelay="
                + minReconnectDelay + ", maxReconnectDelay=" + maxReconnectDelay + ", maxServerPingDelay="
                + maxServerPingDelay + ", commandTimeout=" + commandTimeout + ", connectTimeout=" + connectTimeout
                + ", maxMessageSize=" + maxMessageSize + '}';
    }
}
