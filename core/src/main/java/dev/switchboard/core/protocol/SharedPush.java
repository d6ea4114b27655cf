package dev.switchboard.core.protocol;

import dev.switchboard.core.engine.Publication;
import java.util.function.Supplier;

/**
 * A push sent to many connections (a publication, a join or leave), encoded at most once per
 * {@link ProtocolFormat}, on the first delivery to a connection of that format, and then shared
 * by every other: a node whose subscribers all speak one encoding never builds the other.
 *
 * <p>Thread-safe. The arrays returned are shared and must not be modified.
 *
 * <pre>{@code
 * SharedPush push = SharedPush.publication(channel, publication);
 * byte[] json = push.bytes(ProtocolFormat.JSON);          // built now, the same array from then on
 * byte[] protobuf = push.bytes(ProtocolFormat.PROTOBUF);  // likewise, straight from the publication
 * }</pre>
 */
public final class SharedPush {

    private final Once json;
    private final Once protobuf;
    private final Once uni;

    private SharedPush(Once json, Once protobuf) {
        this.json = json;
        this.protobuf = protobuf;
        this.uni = new Once(() -> UniJsonCodec.INSTANCE.encode(json.get()));
    }

    /** The {@code pub} push of a publication; each encoding is built straight from the record. */
    public static SharedPush publication(String channel, Publication pub) {
        return new SharedPush(
                new Once(() -> ProtocolCodec.publicationPush(channel, pub)),
                new Once(() -> ProtobufReplies.publicationPush(channel, pub)));
    }

    /** Any push already built as JSON by {@link ProtocolCodec}; protobuf is converted from it. */
    public static SharedPush ofJson(byte[] json) {
        return new SharedPush(new Once(() -> json), new Once(() -> ProtobufCodec.INSTANCE.encode(json)));
    }

    /** The push in one encoding, built on its first use. */
    public byte[] bytes(ProtocolFormat format) {
        return switch (format) {
            case JSON -> json.get();
            case PROTOBUF -> protobuf.get();
            case UNI_JSON -> uni.get();
        };
    }

    /** An encoding built by the first caller; later ones (on any thread) get the same array. */
    private static final class Once {
        private final Supplier<byte[]> encoder;
        private volatile byte[] bytes;

        Once(Supplier<byte[]> encoder) {
            this.encoder = encoder;
        }

        byte[] get() {
            byte[] b = bytes;
            if (b == null) {
                synchronized (this) {
                    b = bytes;
                    if (b == null) {
                        b = encoder.get();
                        bytes = b;
                    }
                }
            }
            return b;
        }
    }
}
