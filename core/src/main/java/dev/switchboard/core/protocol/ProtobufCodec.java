package dev.switchboard.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The protobuf encoding of the client protocol, as the stock protobuf SDKs speak it
 * (centrifuge-java, -swift, -dart, centrifuge-js's protobuf build).
 *
 * <p>Inbound, a binary frame holds one or more {@code Command}s, each preceded by its length as a
 * varint. Each becomes the same {@link Command} the JSON decoder yields, its request turned into
 * the JSON tree the node reads: a field becomes the JSON field of the same name, a {@code bytes}
 * field ({@code data}) is parsed as the JSON it must hold. Switchboard payloads are JSON in every
 * encoding, so a publication from a protobuf client reaches JSON subscribers unchanged; bytes that
 * are not JSON are refused like malformed JSON. An empty {@code Command} is the pong.
 *
 * <p>Outbound, replies and pushes go through {@link ProtobufReplies}; the transport frames each
 * with its varint length.
 *
 * <pre>{@code
 * List<Command> cmds = ProtobufCodec.INSTANCE.decode(binaryFrame);
 * byte[] reply = ProtobufCodec.INSTANCE.encode(ProtocolCodec.reply(cmds.get(0).id(), "publish", null));
 * }</pre>
 */
public final class ProtobufCodec implements ClientCodec {

    /** The one instance: the codec holds no state. */
    public static final ProtobufCodec INSTANCE = new ProtobufCodec();

    /**
     * Most commands one frame may hold. Every command also takes a rate-limit token, so this only
     * keeps one frame of empty commands (one byte each) from making a list as long as the frame.
     */
    public static final int MAX_COMMANDS_PER_FRAME = 4096;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProtobufCodec() {}

    @Override
    public ProtocolFormat format() {
        return ProtocolFormat.PROTOBUF;
    }

    @Override
    public byte[] encode(byte[] json) {
        return ProtobufReplies.fromJson(json);
    }

    @Override
    public List<Command> decode(byte[] frame) throws ProtocolException {
        if (frame.length == 0) {
            throw new ProtocolException("empty frame");
        }
        List<Command> out = new ArrayList<>(1);
        CodedInputStream in = CodedInputStream.newInstance(frame);
        try {
            while (!in.isAtEnd()) {
                if (out.size() >= MAX_COMMANDS_PER_FRAME) {
                    throw new ProtocolException("more than " + MAX_COMMANDS_PER_FRAME + " commands in a frame");
                }
                int length = in.readRawVarint32();
                int at = in.getTotalBytesRead();
                if (length < 0 || length > frame.length - at) {
                    throw new ProtocolException(
                            "command length " + Integer.toUnsignedString(length) + " runs past the end of the frame");
                }
                out.add(command(
                        dev.switchboard.wire.proto.Command.parseFrom(CodedInputStream.newInstance(frame, at, length))));
                in.skipRawBytes(length);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ProtocolException("malformed protobuf: " + e.getMessage());
        } catch (IOException e) {
            throw new ProtocolException("malformed protobuf frame");
        }
        return out;
    }

    private static Command command(dev.switchboard.wire.proto.Command c) throws ProtocolException {
        long id = Integer.toUnsignedLong(c.getId());
        Command.Method method = null;
        JsonNode params = null;
        for (Map.Entry<FieldDescriptor, Object> e : c.getAllFields().entrySet()) {
            FieldDescriptor fd = e.getKey();
            if (fd.getNumber() == dev.switchboard.wire.proto.Command.ID_FIELD_NUMBER) {
                continue;
            }
            Command.Method m = Command.Method.ofField(fd.getName());
            if (m == null) {
                continue;
            }
            if (method != null) {
                throw new ProtocolException("more than one method in a command");
            }
            method = m;
            params = tree((Message) e.getValue());
        }
        if (method != null) {
            return new Command(id, method, params);
        }
        if (id == 0 && c.getUnknownFields().asMap().isEmpty()) {
            return Command.PONG;
        }
        // A request field of a method this node does not know (a newer SDK): 104 with an id.
        return new Command(id, null, ProtocolCodec.unknownMarker());
    }

    /** A request as the JSON object the JSON decoder would have produced. */
    private static ObjectNode tree(Message m) throws ProtocolException {
        ObjectNode o = NODES.objectNode();
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor fd = e.getKey();
            if (fd.isMapField()) {
                ObjectNode map = o.putObject(fd.getName());
                for (Object entry : (List<?>) e.getValue()) {
                    Message me = (Message) entry;
                    FieldDescriptor k = me.getDescriptorForType().findFieldByNumber(1);
                    FieldDescriptor v = me.getDescriptorForType().findFieldByNumber(2);
                    map.set((String) me.getField(k), scalar(v, me.getField(v)));
                }
            } else if (fd.isRepeated()) {
                ArrayNode array = o.putArray(fd.getName());
                for (Object v : (List<?>) e.getValue()) {
                    array.add(scalar(fd, v));
                }
            } else {
                o.set(fd.getName(), scalar(fd, e.getValue()));
            }
        }
        return o;
    }

    private static JsonNode scalar(FieldDescriptor fd, Object v) throws ProtocolException {
        return switch (fd.getType()) {
            case MESSAGE -> tree((Message) v);
            case BYTES -> json(fd, (ByteString) v);
            case STRING -> NODES.textNode((String) v);
            case BOOL -> NODES.booleanNode((Boolean) v);
            case UINT32, FIXED32 -> NODES.numberNode(Integer.toUnsignedLong((Integer) v));
            case UINT64, FIXED64 ->
                (Long) v >= 0
                        ? NODES.numberNode((Long) v)
                        : NODES.numberNode(new BigInteger(Long.toUnsignedString((Long) v)));
            case INT32, SINT32, SFIXED32 -> NODES.numberNode((Integer) v);
            case INT64, SINT64, SFIXED64 -> NODES.numberNode((Long) v);
            default -> throw new ProtocolException(fd.getName() + ": unsupported field type " + fd.getType());
        };
    }

    /** A payload: the JSON value its bytes hold, checked as strictly as a JSON frame. */
    private static JsonNode json(FieldDescriptor fd, ByteString bytes) throws ProtocolException {
        byte[] b = bytes.toByteArray();
        if (!ProtocolCodec.isJsonValue(b)) {
            throw new ProtocolException(fd.getName() + " is not one JSON value (Switchboard payloads are JSON)");
        }
        try {
            return ProtocolCodec.mapper().readTree(b);
        } catch (IOException e) {
            throw new ProtocolException(fd.getName() + " is not JSON");
        }
    }
}
