package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Builds a {@link SwitchboardClient}; get one from {@link SwitchboardClient#builder(URI)}.
 * Every setting starts at the default documented on {@link ClientOptions}.
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.builder(URI.create("wss://rt.example.com/connection/websocket"))
 *     .token(initialToken)
 *     .tokenSupplier(() -> authService.fetchConnectionToken())   // CompletionStage<String>
 *     .maxReconnectDelay(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>Not thread-safe; the client it builds is.
 */
public final class ClientBuilder {

    final URI uri;
    String token;
    Supplier<CompletionStage<String>> tokenSupplier;
    String name = ClientOptions.DEFAULT_NAME;
    String version = ClientOptions.DEFAULT_VERSION;
    JsonNode data;
    Duration minReconnectDelay = ClientOptions.DEFAULT_MIN_RECONNECT_DELAY;
    Duration maxReconnectDelay = ClientOptions.DEFAULT_MAX_RECONNECT_DELAY;
    Duration maxServerPingDelay = ClientOptions.DEFAULT_MAX_SERVER_PING_DELAY;
    Duration commandTimeout = ClientOptions.DEFAULT_COMMAND_TIMEOUT;
    Duration connectTimeout = ClientOptions.DEFAULT_CONNECT_TIMEOUT;
    int maxMessageSize = ClientOptions.DEFAULT_MAX_MESSAGE_SIZE;
    HttpClient httpClient;
    Executor invocationExecutor;

    ClientBuilder(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("uri must be ws:// or wss://: " + uri);
        }
        this.uri = uri;
    }

    /** The connection token (JWT) sent in {@code connect}. Without one and without a supplier, the client connects anonymously. */
    public ClientBuilder token(String v) {
        token = v;
        return this;
    }

    /**
     * Supplies connection tokens: called when there is no token yet, when {@code connect} fails
     * with 109 (token expired), and before the current token expires (the server's {@code ttl}),
     * to refresh it in place. Completing with {@code null} or {@code ""} disconnects the client
     * ({@link StateEvent#UNAUTHORIZED}); failing makes the client retry later.
     */
    public ClientBuilder tokenSupplier(Supplier<CompletionStage<String>> v) {
        tokenSupplier = v;
        return this;
    }

    /** Client name sent in {@code connect}. */
    public ClientBuilder name(String v) {
        name = Objects.requireNonNull(v, "name");
        return this;
    }

    /** Client version sent in {@code connect} (not sent when empty). */
    public ClientBuilder version(String v) {
        version = Objects.requireNonNull(v, "version");
        return this;
    }

    /** Data sent in {@code connect}, for the server's connect hook. */
    public ClientBuilder data(JsonNode v) {
        data = v;
        return this;
    }

    /** Floor of every reconnect delay (positive). */
    public ClientBuilder minReconnectDelay(Duration v) {
        minReconnectDelay = positive(v, "minReconnectDelay");
        return this;
    }

    /** Ceiling of the exponentially growing reconnect delay (at least the floor). */
    public ClientBuilder maxReconnectDelay(Duration v) {
        maxReconnectDelay = positive(v, "maxReconnectDelay");
        return this;
    }

    /** How late the server's ping may be before the connection is declared dead and replaced. */
    public ClientBuilder maxServerPingDelay(Duration v) {
        maxServerPingDelay = positive(v, "maxServerPingDelay");
        return this;
    }

    /** Reply timeout of every command (publish, rpc, subscribe, connect...). */
    public ClientBuilder commandTimeout(Duration v) {
        commandTimeout = positive(v, "commandTimeout");
        return this;
    }

    /** Timeout of the WebSocket opening handshake. */
    public ClientBuilder connectTimeout(Duration v) {
        connectTimeout = positive(v, "connectTimeout");
        return this;
    }

    /** Largest inbound message in chars; a larger one closes the connection. */
    public ClientBuilder maxMessageSize(int v) {
        if (v < 1024) {
            throw new IllegalArgumentException("maxMessageSize must be at least 1024: " + v);
        }
        maxMessageSize = v;
        return this;
    }

    /** The JDK HTTP client used to open WebSockets: set it to configure TLS ({@code sslContext}), a proxy or an executor. */
    public ClientBuilder httpClient(HttpClient v) {
        httpClient = v;
        return this;
    }

    /** Where invocation handlers run (they must not block the client's own thread). */
    public ClientBuilder invocationExecutor(Executor v) {
        invocationExecutor = v;
        return this;
    }

    /** The options as set so far. */
    public ClientOptions options() {
        if (maxReconnectDelay.compareTo(minReconnectDelay) < 0) {
            throw new IllegalArgumentException("maxReconnectDelay " + maxReconnectDelay
                    + " is shorter than minReconnectDelay " + minReconnectDelay);
        }
        return new ClientOptions(this);
    }

    /** A new, not yet connected client. Call {@link SwitchboardClient#connect()} to connect. */
    public SwitchboardClient build() {
        return new SwitchboardClient(options());
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }
}
