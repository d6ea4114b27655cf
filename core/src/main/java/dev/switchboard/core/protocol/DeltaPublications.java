package dev.switchboard.core.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.switchboard.core.engine.Publication;
import java.io.IOException;
import java.util.List;

/**
 * Publications for subscribers that negotiated {@code delta: "fossil"}, in the shape the SDKs
 * decode them. Over JSON every payload of such a subscription is a JSON <em>string</em>: the
 * publication's JSON text when {@code delta} is absent, a Fossil delta against the previous
 * publication's text when {@code delta: true} (centrifuge-js parses the one and applies the
 * other). Over protobuf the payload is the bytes themselves, and {@code delta} says which.
 *
 * <pre>{@code
 * byte[] patch = DeltaPublications.patch(previous.data(), pub.data()); // null: send it whole
 * byte[] json = DeltaPublications.jsonPush("chat", pub, patch != null ? patch : pub.data(), patch != null);
 * }</pre>
 */
public final class DeltaPublications {

    private DeltaPublications() {}

    /**
     * A Fossil delta from {@code previous} to {@code next}, or {@code null} when sending
     * {@code next} whole is no larger, or when the delta is not valid UTF-8 (a copy may split a
     * multi-byte character, and a JSON string must carry the exact bytes).
     */
    public static byte[] patch(byte[] previous, byte[] next) {
        byte[] patch = FossilDelta.create(previous, next);
        if (patch.length >= next.length || !Utf8.isValid(patch)) {
            return null;
        }
        return patch;
    }

    /** The JSON {@code pub} push of a delta subscription: {@code payload} as a string. */
    public static byte[] jsonPush(String channel, Publication pub, byte[] payload, boolean delta) {
        return ProtocolCodec.push(channel, "pub", g -> writeFields(g, pub, payload, delta));
    }

    /** The protobuf {@code pub} push of a delta subscription: {@code payload} as bytes. */
    public static byte[] protobufPush(String channel, Publication pub, byte[] payload, boolean delta) {
        return ProtobufReplies.publicationPush(channel, pub, ByteString.copyFrom(payload), delta);
    }

    /**
     * Writes a subscribe reply's recovered publications for a JSON delta subscription: the first
     * whole (as a string), each next one as a delta of the one before when that is smaller.
     */
    public static void writeJsonChain(JsonGenerator g, List<Publication> pubs) throws IOException {
        byte[] previous = null;
        for (Publication p : pubs) {
            byte[] patch = previous == null ? null : patch(previous, p.data());
            g.writeStartObject();
            writeFields(g, p, patch != null ? patch : p.data(), patch != null);
            g.writeEndObject();
            previous = p.data();
        }
    }

    private static void writeFields(JsonGenerator g, Publication pub, byte[] payload, boolean delta)
            throws IOException {
        g.writeStringField("data", new String(payload, UTF_8));
        if (pub.info() != null) {
            ProtocolCodec.writeInfoField(g, "info", pub.info());
        }
        ProtocolCodec.writePositionAndTags(g, pub);
        if (delta) {
            g.writeBooleanField("delta", true);
        }
    }
}
