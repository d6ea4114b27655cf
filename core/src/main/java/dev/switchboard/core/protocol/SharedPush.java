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
    /** For delta subscribers ({@link DeltaPublications}); {@code null} for pushes that are not publications. */
    private final Deltas deltas;

    private final Once uni;

    private SharedPush(Once json, Once protobuf, Deltas deltas) {
        this.json = json;
        this.protobuf = protobuf;
        this.deltas = deltas;
        this.uni = new Once(() -> UniJsonCodec.INSTANCE.encode(json.get()));
    }

    /**
     * The {@code pub} push of a publication in a channel without deltas; each encoding is built
     * straight from the record.
     */
    public static SharedPush publication(String channel, Publication pub) {
        return new SharedPush(
                new Once(() -> ProtocolCodec.publicationPush(channel, pub)),
                new Once(() -> ProtobufReplies.publicationPush(channel, pub)),
                null);
    }

    /**
     * The {@code pub} push of a publication in a channel that allows deltas, also for subscribers
     * that negotiated them (a channel without deltas takes {@link #publication(String, Publication)},
     * so its publications allocate nothing for them): with
     * {@code previous} (the publication just before it in the same epoch) they may get a Fossil
     * delta of it, built once for all of them.
     */
    public static SharedPush publication(String channel, Publication pub, Publication previous) {
        return new SharedPush(
                new Once(() -> ProtocolCodec.publicationPush(channel, pub)),
                new Once(() -> ProtobufReplies.publicationPush(channel, pub)),
                new Deltas(channel, pub, previous));
    }

    /**
     * The offset of the publication a delta from {@link #deltaBytes} is made against, or -1
     * when there is none: a subscriber may get the delta only if that is the last offset it got.
     */
    public long deltaBase() {
        return deltas == null || deltas.previous == null ? -1 : deltas.previous.offset();
    }

    /**
     * The push for a subscriber that negotiated deltas: against the previous publication when
     * {@code againstPrevious} (the subscriber holds it, see {@link #deltaBase}) and a delta is
     * smaller, else the whole publication in a delta subscription's shape.
     */
    public byte[] deltaBytes(ProtocolFormat format, boolean againstPrevious) {
        if (deltas == null || format == ProtocolFormat.UNI_JSON) {
            return bytes(format);
        }
        if (againstPrevious && deltas.previous != null && deltas.patch() != null) {
            return (format == ProtocolFormat.JSON ? deltas.jsonDelta : deltas.protobufDelta).get();
        }
        // Over protobuf a whole payload is the same bytes with or without deltas.
        return format == ProtocolFormat.JSON ? deltas.jsonWhole.get() : protobuf.get();
    }

    /** Any push already built as JSON by {@link ProtocolCodec}; protobuf is converted from it. */
    public static SharedPush ofJson(byte[] json) {
        return new SharedPush(new Once(() -> json), new Once(() -> ProtobufCodec.INSTANCE.encode(json)), null);
    }

    /** The push in one encoding, built on its first use. */
    public byte[] bytes(ProtocolFormat format) {
        return switch (format) {
            case JSON -> json.get();
            case PROTOBUF -> protobuf.get();
            case UNI_JSON -> uni.get();
        };
    }

    /** The delta subscribers' encodings, each built on first use; the patch once for both formats. */
    private static final class Deltas {
        final Publication previous;
        final Once jsonWhole;
        final Once jsonDelta;
        final Once protobufDelta;
        private final Once patch;

        Deltas(String channel, Publication pub, Publication previous) {
            this.previous = previous;
            this.patch = new Once(() -> {
                byte[] p = DeltaPublications.patch(previous.data(), pub.data());
                return p == null ? NO_PATCH : p;
            });
            this.jsonWhole = new Once(() -> DeltaPublications.jsonPush(channel, pub, pub.data(), false));
            this.jsonDelta = new Once(() -> DeltaPublications.jsonPush(channel, pub, patch(), true));
            this.protobufDelta = new Once(() -> DeltaPublications.protobufPush(channel, pub, patch(), true));
        }

        /** The delta, or {@code null} when sending the publication whole is no larger. */
        byte[] patch() {
            byte[] p = patch.get();
            return p == NO_PATCH ? null : p;
        }
    }

    private static final byte[] NO_PATCH = new byte[0];

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
