package dev.switchboard.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON encoding of the Centrifugo client protocol v2: decodes command frames (newline-separated
 * batches) and encodes replies and pushes.
 *
 * <p>Thread-safe. Payloads ({@code data}, {@code info}) travel as raw JSON bytes and are copied
 * into output verbatim.
 *
 * <pre>{@code
 * List<Command> commands = ProtocolCodec.decode(frameBytes);
 * byte[] reply = ProtocolCodec.reply(cmd.id(), "rpc", g -> ProtocolCodec.writeRaw(g, "data", result));
 * }</pre>
 */
public final class ProtocolCodec {

    /** The server's ping and the client's pong: an empty object. */
    public static final byte[] PING = "{}".getBytes(StandardCharsets.UTF_8);

    /** Nesting deeper than this is refused, so a hostile frame cannot exhaust the stack. */
    public static final int MAX_NESTING_DEPTH = 64;

    /** Largest command id: the protocol's {@code id} is a uint32. */
    public static final long MAX_COMMAND_ID = 0xFFFF_FFFFL;

    // A repeated key would otherwise be resolved silently (last one wins), so two parties reading
    // the same bytes could disagree on what was asked.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    /** Writes the body of a reply result or push object. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private ProtocolCodec() {}

    /** The shared mapper configured with this codec's limits. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The one strict "is this JSON" check: true when {@code b} is well-formed UTF-8 (see
     * {@link Utf8}) holding exactly one JSON value, with nothing but whitespace after it, nested no
     * deeper than {@link #MAX_NESTING_DEPTH} and with no repeated key. Empty input, two values
     * ({@code {"a":1} {"b":2}}) and trailing garbage ({@code {"a":1} garbage}) are not JSON.
     *
     * <pre>{@code
     * if (!ProtocolCodec.isJsonValue(data)) {
     *     throw new IllegalArgumentException("data is not valid JSON");
     * }
     * }</pre>
     */
    public static boolean isJsonValue(byte[] b) {
        if (b == null || !Utf8.isValid(b)) {
            return false;
        }
        try (JsonParser parser = FACTORY.createParser(b)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Decodes one frame holding one command per line.
     *
     * @throws ProtocolException when a line is not a JSON object or names no known command
     */
    public static List<Command> decode(byte[] frame) throws ProtocolException {
        List<Command> out = new ArrayList<>(1);
        int start = 0;
        for (int i = 0; i <= frame.length; i++) {
            if (i == frame.length || frame[i] == '\n') {
                if (hasContent(frame, start, i)) {
                    out.add(decodeOne(frame, start, i - start));
                }
                start = i + 1;
            }
        }
        if (out.isEmpty()) {
            throw new ProtocolException("empty frame");
        }
        return out;
    }

    private static boolean hasContent(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\r' && b[i] != '\t') {
                return true;
            }
        }
        return false;
    }

    private static Command decodeOne(byte[] frame, int off, int len) throws ProtocolException {
        JsonNode node;
        try {
            node = MAPPER.readTree(frame, off, len);
        } catch (IOException e) {
            throw new ProtocolException("malformed JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException("command is not a JSON object");
        }
        if (node.isEmpty()) {
            return Command.PONG;
        }
        long id = 0;
        Command.Method method = null;
        JsonNode params = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if ("id".equals(e.getKey())) {
                JsonNode v = e.getValue();
                if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > MAX_COMMAND_ID) {
                    throw new ProtocolException("id must be an integer from 0 to " + MAX_COMMAND_ID);
                }
                id = e.getValue().asLong();
                continue;
            }
            Command.Method m = Command.Method.ofField(e.getKey());
            if (m == null) {
                continue;
            }
            if (method != null) {
                throw new ProtocolException("more than one method in a command");
            }
            if (!e.getValue().isObject()) {
                throw new ProtocolException(m.field() + " must be an object");
            }
            method = m;
            params = e.getValue();
        }
        if (method == null) {
            return new Command(id, null, unknownMarker());
        }
        return new Command(id, method, params);
    }

    static JsonNode unknownMarker() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("unknown", true);
        return n;
    }

    /** True for a decoded command that named no method we know (as opposed to a pong). */
    public static boolean isUnknown(Command c) {
        return c.method() == null && c.params().has("unknown");
    }

    /** Most entries a {@code connect} command's {@code headers} map may hold. */
    public static final int MAX_EMULATED_HEADERS = 32;

    /** Longest name or value (in chars) in a {@code connect} command's {@code headers} map. */
    public static final int MAX_EMULATED_HEADER_LENGTH = 8192;

    /**
     * The {@code headers} map of a {@code connect} command (headers emulation, as centrifuge-js's
     * {@code headers} option sends it; {@code map<string,string>} in client.proto), with lower-case
     * names. An absent or {@code null} field is an empty map.
     *
     * @throws ProtocolError {@link ProtocolError#BAD_REQUEST} when it is not an object, holds more
     *     than {@link #MAX_EMULATED_HEADERS} entries, a value that is not a string, an empty or
     *     over-long name or value, a control character, or two names equal once lower-cased
     */
    public static Map<String, String> emulatedHeaders(JsonNode headers) {
        if (headers == null || headers.isNull()) {
            return Map.of();
        }
        if (!headers.isObject() || headers.size() > MAX_EMULATED_HEADERS) {
            throw ProtocolError.BAD_REQUEST;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
            JsonNode v = e.getValue();
            if (!v.isTextual()
                    || !validHeaderText(name, false)
                    || !validHeaderText(v.asText(), true)
                    || out.put(name, v.asText()) != null) {
                throw ProtocolError.BAD_REQUEST;
            }
        }
        return out;
    }

    private static boolean validHeaderText(String s, boolean value) {
        if ((!value && s.isEmpty()) || s.length() > MAX_EMULATED_HEADER_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && !(value && c == '\t')) || c == 0x7f || (!value && (c == ' ' || c == ':'))) {
                return false;
            }
        }
        return true;
    }

    /** The raw JSON bytes of a parsed value. */
    public static byte[] toBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- encoding ----

    /** A JSON object holding what {@code body} writes. */
    public static byte[] encode(Body body) {
        try (ByteArrayBuilder buf = new ByteArrayBuilder(256);
                JsonGenerator g = FACTORY.createGenerator(buf)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
            g.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A successful reply: {@code {"id":id,"<field>":{...}}}. */
    public static byte[] reply(long id, String field, Body result) {
        return encode(g -> {
            g.writeNumberField("id", id);
            g.writeObjectFieldStart(field);
            if (result != null) {
                result.write(g);
            }
            g.writeEndObject();
        });
    }

    /** An error reply: {@code {"id":id,"error":{"code":..,"message":..}}}. */
    public static byte[] error(long id, ProtocolError error) {
        return encode(g -> {
            g.writeNumberField("id", id);
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", error.code());
            g.writeStringField("message", error.getMessage());
            if (error.temporary()) {
                g.writeBooleanField("temporary", true);
            }
            g.writeEndObject();
        });
    }

    /** A push: {@code {"push":{"channel":..,"<field>":{...}}}}. */
    public static byte[] push(String channel, String field, Body body) {
        return encode(g -> {
            g.writeObjectFieldStart("push");
            if (channel != null && !channel.isEmpty()) {
                g.writeStringField("channel", channel);
            }
            g.writeObjectFieldStart(field);
            if (body != null) {
                body.write(g);
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** The {@code pub} push of a publication; encoded once and shared by every local subscriber. */
    public static byte[] publicationPush(String channel, Publication pub) {
        return push(channel, "pub", g -> writePublicationFields(g, pub));
    }

    /** A {@code join} push. */
    public static byte[] joinPush(String channel, ClientInfo info) {
        return push(channel, "join", g -> writeInfoField(g, "info", info));
    }

    /** A {@code leave} push. */
    public static byte[] leavePush(String channel, ClientInfo info) {
        return push(channel, "leave", g -> writeInfoField(g, "info", info));
    }

    /** An {@code unsubscribe} push: the server ended a subscription. */
    public static byte[] unsubscribePush(String channel, int code, String reason) {
        return push(channel, "unsubscribe", g -> {
            g.writeNumberField("code", code);
            g.writeStringField("reason", reason);
        });
    }

    /** A {@code message} push carrying raw JSON data. */
    public static byte[] messagePush(byte[] data) {
        return push(null, "message", g -> writeRaw(g, "data", data));
    }

    /** Writes a raw JSON field when the value is not {@code null}. */
    public static void writeRaw(JsonGenerator g, String field, byte[] json) throws IOException {
        if (json != null) {
            g.writeFieldName(field);
            g.writeRawValue(new RawJson(json));
        }
    }

    /** Writes the fields of a publication object (without braces). */
    public static void writePublicationFields(JsonGenerator g, Publication pub) throws IOException {
        writeRaw(g, "data", pub.data());
        if (pub.info() != null) {
            writeInfoField(g, "info", pub.info());
        }
        writePositionAndTags(g, pub);
    }

    /** Writes a publication's {@code offset} (when positioned) and {@code tags} (when any). */
    static void writePositionAndTags(JsonGenerator g, Publication pub) throws IOException {
        if (pub.offset() > 0) {
            g.writeNumberField("offset", pub.offset());
        }
        if (!pub.tags().isEmpty()) {
            g.writeObjectFieldStart("tags");
            for (Map.Entry<String, String> t : pub.tags().entrySet()) {
                g.writeStringField(t.getKey(), t.getValue());
            }
            g.writeEndObject();
        }
    }

    /** Writes a history read's fields: {@code publications}, {@code epoch} and {@code offset}. */
    public static void writeHistoryFields(JsonGenerator g, HistoryResult h) throws IOException {
        g.writeArrayFieldStart("publications");
        for (Publication p : h.publications()) {
            writePublication(g, p);
        }
        g.writeEndArray();
        g.writeStringField("epoch", h.position().epoch());
        g.writeNumberField("offset", h.position().offset());
    }

    /** Writes a publication as a JSON object. */
    public static void writePublication(JsonGenerator g, Publication pub) throws IOException {
        g.writeStartObject();
        writePublicationFields(g, pub);
        g.writeEndObject();
    }

    /** Writes a client info object under a field name. */
    public static void writeInfoField(JsonGenerator g, String field, ClientInfo info) throws IOException {
        g.writeFieldName(field);
        writeInfo(g, info);
    }

    /** Writes a client info object: {@code {"user","client","conn_info","chan_info"}}. */
    public static void writeInfo(JsonGenerator g, ClientInfo info) throws IOException {
        g.writeStartObject();
        g.writeStringField("user", info.user());
        g.writeStringField("client", info.client());
        writeRaw(g, "conn_info", info.connInfo());
        writeRaw(g, "chan_info", info.chanInfo());
        g.writeEndObject();
    }
}
