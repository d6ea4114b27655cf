package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Immutable settings of a {@link Subscription}.
 *
 * <pre>{@code
 * SubscriptionOptions opts = SubscriptionOptions.builder()
 *     .joinLeave(true)                    // receive join/leave pushes
 *     .recoverable(true)                  // ask for recovery where the namespace allows it
 *     .since(new StreamPosition(41, "ab12"))  // start by recovering what came after offset 41
 *     .build();
 * Subscription sub = client.newSubscription("chat:lobby", opts);
 * }</pre>
 *
 * <p>Recovery needs nothing here when the namespace forces it ({@code force_recovery}): the client
 * recovers whenever the server's subscribe reply says {@code recoverable: true}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SubscriptionOptions {

    /** The defaults: no join/leave, no explicit recovery or positioning, no token, no data. */
    public static final SubscriptionOptions DEFAULTS = builder().build();

    private final boolean joinLeave;
    private final boolean recoverable;
    private final boolean positioned;
    private final String token;
    private final Function<String, CompletionStage<String>> tokenSupplier;
    private final JsonNode data;
    private final StreamPosition since;

    private SubscriptionOptions(Builder b) {
        joinLeave = b.joinLeave;
        recoverable = b.recoverable;
        positioned = b.positioned;
        token = b.token;
        tokenSupplier = b.tokenSupplier;
        data = b.data == null ? null : b.data.deepCopy();
        since = b.since;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the subscriber asks for join/leave pushes ({@code join_leave}); default {@code false}. */
    public boolean joinLeave() {
        return joinLeave;
    }
    /** Whether the subscriber asks for a recoverable subscription ({@code recoverable}); default {@code false}. */
    public boolean recoverable() {
        return recoverable;
    }
    /** Whether the subscriber asks for a positioned subscription ({@code positioned}); default {@code false}. */
    public boolean positioned() {
        return positioned;
    }
    /** The subscription token for private channels; empty when none. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }
    /** Supplies subscription tokens, given the channel: when there is none yet and after error 109; empty when none. */
    public Optional<Function<String, CompletionStage<String>>> tokenSupplier() {
        return Optional.ofNullable(tokenSupplier);
    }
    /** Data sent with {@code subscribe} for the server's subscribe hook; empty when none. */
    public Optional<JsonNode> data() {
        return Optional.ofNullable(data).map(JsonNode::deepCopy);
    }
    /** A position to recover from on the first subscribe; empty when none. */
    public Optional<StreamPosition> since() {
        return Optional.ofNullable(since);
    }

    JsonNode rawData() {
        return data;
    }

    /** Builder of {@link SubscriptionOptions}. Not thread-safe. */
    public static final class Builder {
        private boolean joinLeave;
        private boolean recoverable;
        private boolean positioned;
        private String token;
        private Function<String, CompletionStage<String>> tokenSupplier;
        private JsonNode data;
        private StreamPosition since;

        private Builder() {}

        /** Ask for join/leave pushes. */
        public Builder joinLeave(boolean v) {
            joinLeave = v;
            return this;
        }
        /** Ask for recovery (honoured when the namespace has {@code allow_recovery}). */
        public Builder recoverable(boolean v) {
            recoverable = v;
            return this;
        }
        /** Ask for a positioned subscription (honoured with {@code allow_positioning}). */
        public Builder positioned(boolean v) {
            positioned = v;
            return this;
        }
        /** A subscription token (JWT) for channels that need one. */
        public Builder token(String v) {
            token = v;
            return this;
        }
        /** Supplies subscription tokens for the channel, when none is set and after 109 token expired. */
        public Builder tokenSupplier(Function<String, CompletionStage<String>> v) {
            tokenSupplier = v;
            return this;
        }
        /** Data for the server's subscribe hook. */
        public Builder data(JsonNode v) {
            data = v;
            return this;
        }
        /** Recover the publications after this position on the first subscribe. */
        public Builder since(StreamPosition v) {
            since = v;
            return this;
        }

        public SubscriptionOptions build() {
            return new SubscriptionOptions(this);
        }
    }
}
