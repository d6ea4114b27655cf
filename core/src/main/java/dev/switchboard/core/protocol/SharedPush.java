package dev.switchboard.core.protocol;

import dev.switchboard.core.engine.Publication;
import java.util.function.Supplier;

/**
 * A push sent to many connections (a publication, a join or leave), encoded at most once per
 * {@link ProtocolFormat}: the JSON bytes are built at once, the protobuf ones on the first
 * protobuf subscriber's delivery and then shared by every other, so a node with no protobuf
 * subscriber never pays for them.
 *
 * <p>Thread-safe. The arrays returned are shared and must not be modified.
 *
 * <pre>{@code
 * SharedPush push = SharedPush.publication(channel, publication);
 * byte[] json = push.bytes(ProtocolFormat.JSON);          // built with the push
 * byte[] protobuf = push.bytes(ProtocolFormat.PROTOBUF);  // built now, the same array from then on
 * }</pre>
 */
public final class SharedPush {

    private final byte[] json;
    private final Supplier<byte[]> protobufEncoder;
    private volatile byte[] protobuf;

    private SharedPush(byte[] json, Supplier<byte[]> protobufEncoder) {
        this.json = json;
        this.protobufEncoder = protobufEncoder;
    }

    /** The {@code pub} push of a publication; protobuf is encoded straight from the record. */
    public static SharedPush publication(String channel, Publication pub) {
        return new SharedPush(
                ProtocolCodec.publicationPush(channel, pub), () -> ProtobufReplies.publicationPush(channel, pub));
    }

    /** Any push built as JSON by {@link ProtocolCodec}; protobuf is converted from it. */
    public static SharedPush ofJson(byte[] json) {
        return new SharedPush(json, () -> ProtobufCodec.INSTANCE.encode(json));
    }

    /** The push in one encoding, built on first use for protobuf. */
    public byte[] bytes(ProtocolFormat format) {
        if (format == ProtocolFormat.JSON) {
            return json;
        }
        byte[] p = protobuf;
        if (p == null) {
            synchronized (this) {
                p = protobuf;
                if (p == null) {
                    p = protobufEncoder.get();
                    protobuf = p;
                }
            }
        }
        return p;
    }

    /** The JSON encoding. */
    public byte[] json() {
        return json;
    }
}
