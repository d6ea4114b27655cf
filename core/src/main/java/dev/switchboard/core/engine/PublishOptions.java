package dev.switchboard.core.engine;

import java.time.Duration;
import java.util.Map;

/**
 * How a broker stores one publication.
 *
 * @param historySize publications kept in the channel's history; {@code 0} for none
 * @param historyTtl how long they are kept
 * @param historyMetaTtl how long the stream's position outlives its last publication
 * @param info the publishing client, or {@code null}
 * @param tags publication tags
 * @param idempotencyKey when not {@code null}, a repeated publish with the same key within
 *     {@link #idempotentResultTtl} returns the first result and publishes nothing
 * @param idempotentResultTtl how long an idempotency key is remembered
 */
public record PublishOptions(
        int historySize,
        Duration historyTtl,
        Duration historyMetaTtl,
        ClientInfo info,
        Map<String, String> tags,
        String idempotencyKey,
        Duration idempotentResultTtl) {

    /** Default {@link #idempotentResultTtl()}: keys are remembered for five minutes. */
    public static final Duration DEFAULT_IDEMPOTENT_RESULT_TTL = Duration.ofMinutes(5);

    public PublishOptions {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (idempotentResultTtl == null) {
            idempotentResultTtl = DEFAULT_IDEMPOTENT_RESULT_TTL;
        }
    }

    /** True when the publication goes into history and gets an offset. */
    public boolean withHistory() {
        return historySize > 0 && historyTtl != null && !historyTtl.isZero();
    }
}
