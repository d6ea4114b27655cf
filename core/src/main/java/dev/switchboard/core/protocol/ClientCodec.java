package dev.switchboard.core.protocol;

import java.util.List;

/**
 * One connection's protocol encoding: decodes the commands of an inbound frame and turns the
 * replies and pushes the node builds into this encoding's messages.
 *
 * <p>The node builds every reply and push once, as JSON ({@link ProtocolCodec}); a codec maps
 * them to its own encoding on the way out. Publications, sent to many connections, go as a
 * {@link SharedPush} instead, encoded at most once per encoding and shared. What a codec returns
 * is one message without framing: the transport joins messages into frames (newlines for JSON,
 * varint length prefixes for protobuf).
 *
 * <p>Implementations are stateless and thread-safe.
 *
 * <pre>{@code
 * ClientCodec codec = ClientCodec.of(transport.format());
 * List<Command> commands = codec.decode(frame);                  // throws ProtocolException on bad input
 * transport.write(codec.encode(ProtocolCodec.reply(id, "publish", null)));
 * transport.write(sharedPush.bytes(codec.format()));
 * }</pre>
 */
public interface ClientCodec {

    /** The encoding this codec speaks. */
    ProtocolFormat format();

    /**
     * The commands of one inbound frame, in order.
     *
     * @throws ProtocolException when the frame is not well-formed in this encoding; the caller
     *     closes the connection with {@link Disconnect#BAD_REQUEST}
     */
    List<Command> decode(byte[] frame) throws ProtocolException;

    /**
     * One reply or push in this encoding.
     *
     * @param json the message as {@link ProtocolCodec} encodes it (one JSON object)
     * @return the message, or {@code null} when this encoding has no such message (a unidirectional
     *     connection gets no command replies but the connect's)
     */
    byte[] encode(byte[] json);

    /** The codec of an encoding. */
    static ClientCodec of(ProtocolFormat format) {
        return switch (format) {
            case PROTOBUF -> ProtobufCodec.INSTANCE;
            case UNI_JSON -> UniJsonCodec.INSTANCE;
            case JSON -> JsonCodec.INSTANCE;
        };
    }

    /** The JSON encoding: what {@link ProtocolCodec} writes goes out unchanged. */
    final class JsonCodec implements ClientCodec {

        static final JsonCodec INSTANCE = new JsonCodec();

        private JsonCodec() {}

        @Override
        public ProtocolFormat format() {
            return ProtocolFormat.JSON;
        }

        @Override
        public List<Command> decode(byte[] frame) throws ProtocolException {
            return ProtocolCodec.decode(frame);
        }

        @Override
        public byte[] encode(byte[] json) {
            return json;
        }
    }
}
