package dev.switchboard.core.node;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.protocol.DeltaPublications;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.io.IOException;
import java.util.List;

/**
 * A subscription registered and read from history, waiting for its reply to be written. Until
 * then live publications are buffered in the {@link ClientSubscription}.
 */
final class PreparedSubscription {

    final ClientSubscription sub;
    final boolean wasRecovering;
    final boolean recovered;
    final List<Publication> publications;
    final StreamPosition position;
    final byte[] data;

    PreparedSubscription(
            ClientSubscription sub,
            boolean wasRecovering,
            boolean recovered,
            List<Publication> publications,
            StreamPosition position,
            byte[] data) {
        this.sub = sub;
        this.wasRecovering = wasRecovering;
        this.recovered = recovered;
        this.publications = publications;
        this.position = position;
        this.data = data;
    }

    /** The offset the subscriber is at once the reply is processed. */
    long replyTop() {
        long top = position == null ? 0 : position.offset();
        if (!publications.isEmpty()) {
            top = Math.max(top, publications.get(publications.size() - 1).offset());
        }
        return top;
    }

    /** Writes the fields of a subscribe result (without braces). */
    void writeResult(JsonGenerator g, long nowSeconds) throws IOException {
        // Refreshed server side: SDKs must not be told to ask for a token.
        if (sub.expireAt > 0 && !sub.serverRefresh) {
            g.writeBooleanField("expires", true);
            g.writeNumberField("ttl", Math.max(0, sub.expireAt - nowSeconds));
        }
        if (sub.recoverable) {
            g.writeBooleanField("recoverable", true);
        }
        if (sub.positioned) {
            g.writeBooleanField("positioned", true);
        }
        if (position != null && sub.tracksOffsets()) {
            g.writeStringField("epoch", position.epoch());
            g.writeNumberField("offset", position.offset());
        }
        if (!publications.isEmpty()) {
            g.writeArrayFieldStart("publications");
            if (sub.deltaAsText) {
                DeltaPublications.writeJsonChain(g, publications);
            } else {
                // Protobuf delta subscribers take whole payloads as they are (delta false).
                for (Publication p : publications) {
                    ProtocolCodec.writePublication(g, p);
                }
            }
            g.writeEndArray();
        }
        if (sub.delta) {
            g.writeBooleanField("delta", true);
        }
        if (wasRecovering) {
            g.writeBooleanField("was_recovering", true);
            g.writeBooleanField("recovered", recovered);
        }
        ProtocolCodec.writeRaw(g, "data", data);
    }
}
