package dev.switchboard.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.wire.proto.Publication.Builder;
import dev.switchboard.wire.proto.Push;
import dev.switchboard.wire.proto.Reply;
import java.io.IOException;

/**
 * Protobuf encoding of replies and pushes (the {@code Reply} message of
 * {@code client_protocol.proto}).
 *
 * <p>Two ways in. The publication push, the one message sent to many connections, is built
 * straight from the {@link Publication} record. Every other reply is converted from the JSON the
 * node built with {@link ProtocolCodec}, walking the schema's descriptors: a JSON field becomes
 * the protobuf field of the same name (Centrifugo's JSON names are the schema's field names), a
 * JSON value under a {@code bytes} field ({@code data}, {@code conn_info}, ...) is copied as its
 * raw bytes, exactly as they stand in the JSON. So one place, {@link ProtocolCodec}, decides what
 * a reply holds, for both encodings. Fields the schema does not have are skipped.
 *
 * <pre>{@code
 * byte[] reply = ProtobufReplies.fromJson(ProtocolCodec.reply(7, "presence_stats", g -> {
 *     g.writeNumberField("num_clients", 3);
 *     g.writeNumberField("num_users", 2);
 * }));
 * }</pre>
 */
final class ProtobufReplies {

    /** The server's ping: an empty {@code Reply}. */
    static final byte[] PING = new byte[0];

    private ProtobufReplies() {}

    /** The {@code pub} push of a publication, encoded without going through JSON. */
    static byte[] publicationPush(String channel, Publication pub) {
        return publicationPush(channel, pub, ByteString.copyFrom(pub.data()), false);
    }

    /** The {@code pub} push of a publication carrying {@code payload}: its data, or a delta of it. */
    static byte[] publicationPush(String channel, Publication pub, ByteString payload, boolean delta) {
        Builder p = dev.switchboard.wire.proto.Publication.newBuilder()
                .setData(payload)
                .setOffset(pub.offset())
                .setDelta(delta)
                .putAllTags(pub.tags());
        if (pub.info() != null) {
            p.setInfo(clientInfo(pub.info()));
        }
        Push.Builder push = Push.newBuilder().setPub(p);
        if (channel != null) {
            push.setChannel(channel);
        }
        return Reply.newBuilder().setPush(push).build().toByteArray();
    }

    static dev.switchboard.wire.proto.ClientInfo clientInfo(ClientInfo info) {
        dev.switchboard.wire.proto.ClientInfo.Builder b = dev.switchboard.wire.proto.ClientInfo.newBuilder()
                .setUser(info.user())
                .setClient(info.client());
        if (info.connInfo() != null) {
            b.setConnInfo(ByteString.copyFrom(info.connInfo()));
        }
        if (info.chanInfo() != null) {
            b.setChanInfo(ByteString.copyFrom(info.chanInfo()));
        }
        return b.build();
    }

    /**
     * The {@code Reply} holding what one JSON reply or push holds.
     *
     * @throws IllegalArgumentException when the JSON is not one object whose fields fit the
     *     schema's types (a bug in the code that built it: the node writes these itself)
     */
    static byte[] fromJson(byte[] json) {
        if (json.length == 2 && json[0] == '{' && json[1] == '}') {
            return PING;
        }
        try (JsonParser p = ProtocolCodec.mapper().getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a reply must be a JSON object");
            }
            Reply.Builder reply = Reply.newBuilder();
            fill(reply, p, json);
            return reply.build().toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("reply is not JSON: " + e.getMessage(), e);
        }
    }

    /** Fills {@code b} from the object the parser stands at the start of, up to its end. */
    private static void fill(Message.Builder b, JsonParser p, byte[] src) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            FieldDescriptor fd = b.getDescriptorForType().findFieldByName(p.currentName());
            JsonToken t = p.nextToken();
            if (fd == null || t == JsonToken.VALUE_NULL) {
                p.skipChildren();
            } else if (fd.isMapField()) {
                expect(t, JsonToken.START_OBJECT, fd);
                FieldDescriptor valueFd = fd.getMessageType().findFieldByName("value");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    Message.Builder entry = b.newBuilderForField(fd);
                    entry.setField(fd.getMessageType().findFieldByName("key"), p.currentName());
                    JsonToken vt = p.nextToken();
                    entry.setField(valueFd, value(entry, valueFd, vt, p, src));
                    b.addRepeatedField(fd, entry.build());
                }
            } else if (fd.isRepeated()) {
                expect(t, JsonToken.START_ARRAY, fd);
                JsonToken et;
                while ((et = p.nextToken()) != JsonToken.END_ARRAY) {
                    b.addRepeatedField(fd, value(b, fd, et, p, src));
                }
            } else {
                b.setField(fd, value(b, fd, t, p, src));
            }
        }
    }

    private static Object value(Message.Builder parent, FieldDescriptor fd, JsonToken t, JsonParser p, byte[] src)
            throws IOException {
        switch (fd.getJavaType()) {
            case MESSAGE -> {
                expect(t, JsonToken.START_OBJECT, fd);
                Message.Builder sub = parent.newBuilderForField(fd);
                fill(sub, p, src);
                return sub.build();
            }
            case BYTE_STRING -> {
                return ByteString.copyFrom(rawValue(t, p, src));
            }
            case STRING -> {
                expect(t, JsonToken.VALUE_STRING, fd);
                return p.getText();
            }
            case BOOLEAN -> {
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw new IllegalArgumentException(fd.getName() + " must be a boolean");
                }
                return t == JsonToken.VALUE_TRUE;
            }
            case INT -> {
                expect(t, JsonToken.VALUE_NUMBER_INT, fd);
                // uint32 fields hold up to 2^32-1: Java keeps them in an int, bit for bit.
                return (int) p.getLongValue();
            }
            case LONG -> {
                expect(t, JsonToken.VALUE_NUMBER_INT, fd);
                return p.getLongValue();
            }
            default -> throw new IllegalArgumentException(fd.getName() + ": type " + fd.getJavaType() + " not mapped");
        }
    }

    /** The exact bytes of the JSON value the parser stands at: copied, never re-serialized. */
    private static byte[] rawValue(JsonToken t, JsonParser p, byte[] src) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (t.isStructStart()) {
            p.skipChildren();
        } else {
            // Completes a lazily read string, so the location below is past its closing quote.
            p.getText();
        }
        int end = (int) p.currentLocation().getByteOffset();
        if (start < 0 || end < start || end > src.length) {
            throw new IllegalArgumentException("cannot locate a raw JSON value");
        }
        return java.util.Arrays.copyOfRange(src, start, end);
    }

    private static void expect(JsonToken actual, JsonToken expected, FieldDescriptor fd) {
        if (actual != expected) {
            throw new IllegalArgumentException(fd.getName() + " must be " + expected + ", is " + actual);
        }
    }
}
