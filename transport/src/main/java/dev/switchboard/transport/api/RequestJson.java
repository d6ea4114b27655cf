package dev.switchboard.transport.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.Utf8;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an API request body into a JSON tree, keeping every {@code data} field as the exact
 * bytes the caller sent ({@link Raw} inside a {@link POJONode}) so payloads reach subscribers
 * byte for byte: {@code 2.50} stays {@code 2.50}, big numbers keep every digit.
 */
final class RequestJson {

    /** The verbatim bytes of a JSON value. */
    record Raw(byte[] bytes) {}

    /** Fields whose values are carried verbatim. */
    private static final String RAW_FIELD = "data";

    private RequestJson() {}

    /**
     * Parses a request body that must be one JSON object; an empty body reads as {@code {}}.
     *
     * @throws BadRequestException when the body is not valid UTF-8 or not a single JSON object
     */
    static ObjectNode readObject(byte[] body) {
        if (body == null || isBlank(body)) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!Utf8.isValid(body)) {
            // The JSON parser lets overlong forms and encoded surrogates through into payloads.
            throw new BadRequestException("request body is not valid UTF-8");
        }
        try (JsonParser p = ProtocolCodec.mapper().getFactory().createParser(body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new BadRequestException("request body must be a JSON object");
            }
            ObjectNode root = (ObjectNode) read(p, body);
            if (p.nextToken() != null) {
                throw new BadRequestException("trailing content after the JSON object");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new BadRequestException("JSON nested too deeply");
        } catch (IOException e) {
            throw new BadRequestException("malformed JSON");
        }
    }

    /**
     * Parses a body of JSON objects one after another, separated by whitespace (the
     * newline-delimited commands of {@code POST /api}).
     *
     * @return the objects in order; empty for a blank body
     * @throws BadRequestException when the body is not valid UTF-8, or holds anything but objects
     */
    static List<ObjectNode> readObjects(byte[] body) {
        List<ObjectNode> out = new ArrayList<>();
        if (body == null || isBlank(body)) {
            return out;
        }
        if (!Utf8.isValid(body)) {
            throw new BadRequestException("request body is not valid UTF-8");
        }
        try (JsonParser p = ProtocolCodec.mapper().getFactory().createParser(body)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.START_OBJECT) {
                    throw new BadRequestException("line " + (out.size() + 1) + " is not a JSON object");
                }
                out.add((ObjectNode) read(p, body));
            }
            return out;
        } catch (StreamConstraintsException e) {
            throw new BadRequestException("JSON nested too deeply");
        } catch (IOException e) {
            throw new BadRequestException("malformed JSON");
        }
    }

    private static boolean isBlank(byte[] b) {
        for (byte c : b) {
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Reads the value at the parser's current token. */
    private static JsonNode read(JsonParser p, byte[] src) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                o.set(name, RAW_FIELD.equals(name) ? raw(p, src) : read(p, src));
            }
            return o;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                a.add(read(p, src));
            }
            return a;
        }
        return ProtocolCodec.mapper().readTree(p);
    }

    /** Captures the value at the parser's current token as the caller's exact bytes. */
    private static JsonNode raw(JsonParser p, byte[] src) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            // null reads as absent, like every other field
            return JsonNodeFactory.instance.nullNode();
        }
        long start = p.currentTokenLocation().getByteOffset();
        if (start < 0) {
            // not a byte-based parser (e.g. UTF-16 input): fall back to re-encoding
            return new POJONode(
                    new Raw(ProtocolCodec.toBytes(ProtocolCodec.mapper().readTree(p))));
        }
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
        long end = p.currentLocation().getByteOffset();
        if (end <= start || end > src.length) {
            throw new IOException("cannot locate data value");
        }
        return new POJONode(new Raw(Arrays.copyOfRange(src, (int) start, (int) end)));
    }
}
