package dev.switchboard.transport.proxy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON of Centrifugo's HTTP proxy protocol (its {@code proxy.proto} with JSON encoding):
 * requests written with the common fields, answers read strictly (a field of the wrong type is
 * {@code malformed}, as Go's decoder would refuse it).
 */
final class ProxyJson {

    private ProxyJson() {}

    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** A request: {@code client}, {@code transport}, {@code protocol} and {@code encoding}, then the rest. */
    static byte[] request(String client, String transport, Fields rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = ProtocolCodec.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("client", client);
            g.writeStringField("transport", transport);
            // The node speaks the JSON protocol only, so raw JSON fields go as JSON, never b64.
            g.writeStringField("protocol", "json");
            g.writeStringField("encoding", "json");
            rest.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes raw JSON bytes as a field's value, when present. */
    static void writeRaw(JsonGenerator g, String field, byte[] json) throws IOException {
        if (json != null && json.length > 0) {
            g.writeFieldName(field);
            g.writeRawValue(new String(json, StandardCharsets.UTF_8));
        }
    }

    /**
     * The connection's {@code meta}, when {@code client}'s proxy is configured to send it
     * ({@code include_connection_meta}) and the connection has one.
     */
    static void writeMeta(JsonGenerator g, ProxyClient client, byte[] meta) throws IOException {
        if (client.includesMeta()) {
            writeRaw(g, "meta", meta);
        }
    }

    /** {@code error} of an answer as a client error, or {@code null}. */
    static ProtocolError error(JsonNode answer) {
        JsonNode e = object(answer, "error");
        if (e == null) {
            return null;
        }
        long code = number(e, "code");
        if (code <= 0 || code > Integer.MAX_VALUE) {
            throw new MalformedAnswerException("error.code must be a positive integer");
        }
        return ProtocolError.of((int) code, text(e, "message", ""), bool(e, "temporary"));
    }

    /** {@code disconnect} of an answer, or {@code null}. */
    static Disconnect disconnect(JsonNode answer) {
        JsonNode d = object(answer, "disconnect");
        if (d == null) {
            return null;
        }
        long code = number(d, "code");
        // Below 3000 are WebSocket's own close codes; 5000 and up are not close codes at all.
        if (code < 3000 || code > 4999) {
            throw new MalformedAnswerException("disconnect.code must be in 3000..4999");
        }
        return new Disconnect((int) code, text(d, "reason", ""));
    }

    /**
     * {@code meta} of a connect or refresh result: a JSON object kept as raw JSON, or {@code null}
     * when absent or null. Anything else is malformed: the node hands meta back to the backend
     * as an object in every later call, so it must be one. Its size is bounded by the answer's
     * ({@link ProxyConfig#maxResponseSize()}), as {@code info}'s is.
     */
    static byte[] meta(JsonNode result) {
        JsonNode m = object(result, "meta");
        return m == null ? null : ProtocolCodec.toBytes(m);
    }

    /** A field that must be an object when present and not null. */
    static JsonNode object(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new MalformedAnswerException(field + " must be an object");
        }
        return v;
    }

    static String text(JsonNode n, String field, String absent) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isTextual()) {
            throw new MalformedAnswerException(field + " must be a string");
        }
        return v.asText();
    }

    static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new MalformedAnswerException(field + " must be an integer");
        }
        return v.asLong();
    }

    static boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new MalformedAnswerException(field + " must be a boolean");
        }
        return v.asBoolean();
    }

    static List<String> strings(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new MalformedAnswerException(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw new MalformedAnswerException(field + " must be an array of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    /**
     * Raw JSON from {@code field} (any JSON value) or from {@code b64field} (base64 of JSON, since
     * the client protocol is JSON and embeds it as is); {@code null} when neither is there.
     */
    static byte[] raw(JsonNode n, String field, String b64field) {
        String b64 = text(n, b64field, "");
        if (!b64.isEmpty()) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new MalformedAnswerException(b64field + " is not base64");
            }
            try {
                ProtocolCodec.mapper().readTree(decoded);
            } catch (IOException e) {
                throw new MalformedAnswerException(b64field + " is not base64 of JSON");
            }
            return decoded;
        }
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return ProtocolCodec.toBytes(v);
    }
}
