package dev.switchboard.core.node;

import dev.switchboard.core.engine.ClientInfo;
import java.util.Map;

/**
 * Per-publish choices for {@link Node#publish(String, byte[], PublishParams)}.
 *
 * <pre>{@code
 * node.publish("orders:42", json, PublishParams.builder().idempotencyKey("order-42-v3").build());
 * }</pre>
 */
public final class PublishParams {

    /** Publish with the channel's defaults. */
    public static final PublishParams DEFAULT = builder().build();

    private final String idempotencyKey;
    private final Map<String, String> tags;
    private final boolean skipHistory;
    private final ClientInfo info;

    private PublishParams(Builder b) {
        this.idempotencyKey = b.idempotencyKey;
        this.tags = b.tags;
        this.skipHistory = b.skipHistory;
        this.info = b.info;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A key that makes a retried publish safe: the same key within minutes publishes once. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Map<String, String> tags() {
        return tags;
    }

    /** Deliver without storing in history (no offset). */
    public boolean skipHistory() {
        return skipHistory;
    }

    /** The publishing client, shown to subscribers; {@code null} for server publications. */
    public ClientInfo info() {
        return info;
    }

    /** Builder of {@link PublishParams}. */
    public static final class Builder {
        private String idempotencyKey;
        private Map<String, String> tags = Map.of();
        private boolean skipHistory;
        private ClientInfo info;

        private Builder() {}

        public Builder idempotencyKey(String v) {
            idempotencyKey = v == null || v.isEmpty() ? null : v;
            return this;
        }

        public Builder tags(Map<String, String> v) {
            tags = v == null ? Map.of() : Map.copyOf(v);
            return this;
        }

        public Builder skipHistory(boolean v) {
            skipHistory = v;
            return this;
        }

        public Builder info(ClientInfo v) {
            info = v;
            return this;
        }

        public PublishParams build() {
            return new PublishParams(this);
        }
    }
}
