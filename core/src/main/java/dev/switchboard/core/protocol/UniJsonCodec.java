package dev.switchboard.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link ProtocolFormat#UNI_JSON} codec: Centrifugo's unidirectional protocol. The one inbound
 * message is a {@code ConnectRequest} object ({@code token}, {@code data}, {@code name},
 * {@code version}, {@code subs}, {@code headers}), decoded as command {@code 1}'s {@code connect};
 * outbound, pushes lose their {@code {"push": ...}} envelope and the connect reply its {@code id},
 * so every message is a {@code Push}. Other replies (there are no other commands) are dropped.
 *
 * <pre>{@code
 * ClientCodec uni = ClientCodec.of(ProtocolFormat.UNI_JSON);
 * client.handleFrame(connectRequestJson);                         // {"token":"..."} → connect
 * uni.encode(ProtocolCodec.publicationPush("news", pub));          // {"channel":"news","pub":{...}}
 * byte[] last = UniJsonCodec.disconnectPush(Disconnect.SHUTDOWN);  // {"disconnect":{"code":3001,...}}
 * }</pre>
 */
public final class UniJsonCodec implements ClientCodec {

    static final UniJsonCodec INSTANCE = new UniJsonCodec();

    /** The command id the connect request is decoded with. */
    public static final long CONNECT_ID = 1;

    private static final byte[] PUSH_PREFIX = "{\"push\":".getBytes(StandardCharsets.UTF_8);

    private UniJsonCodec() {}

    @Override
    public ProtocolFormat format() {
        return ProtocolFormat.UNI_JSON;
    }

    /**
     * The connect command of a {@code ConnectRequest}; an empty frame or {@code null} is an empty
     * request (a connect proxy or anonymous access may still let it in).
     *
     * @throws ProtocolException when it is not one JSON object
     */
    @Override
    public List<Command> decode(byte[] frame) throws ProtocolException {
        JsonNode request;
        try {
            request = isBlank(frame) ? null : ProtocolCodec.mapper().readTree(frame);
        } catch (IOException e) {
            throw new ProtocolException("malformed JSON");
        }
        if (request == null || request.isNull() || request.isMissingNode()) {
            request = ProtocolCodec.mapper().createObjectNode();
        }
        if (!request.isObject()) {
            throw new ProtocolException("connect request is not a JSON object");
        }
        return List.of(new Command(CONNECT_ID, Command.Method.CONNECT, request));
    }

    @Override
    public byte[] encode(byte[] json) {
        if (startsWith(json, PUSH_PREFIX)) {
            // {"push":X} → X: what ProtocolCodec.push writes, so a slice, no parse.
            return singleLine(Arrays.copyOfRange(json, PUSH_PREFIX.length, json.length - 1));
        }
        if (json.length <= 2) {
            return json; // {} — the ping
        }
        JsonNode reply;
        try {
            reply = ProtocolCodec.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the node built malformed JSON", e);
        }
        if (reply instanceof ObjectNode o && o.has("connect")) {
            o.remove("id");
            return singleLine(ProtocolCodec.toBytes(o));
        }
        // An error reply: a refused connect is told by the disconnect push the transport sends.
        return null;
    }

    /** The last message of a closing unidirectional connection: {@code {"disconnect":{"code":..,"reason":..}}}. */
    public static byte[] disconnectPush(Disconnect d) {
        ObjectNode root = ProtocolCodec.mapper().createObjectNode();
        root.putObject("disconnect").put("code", d.code()).put("reason", d.reason());
        return ProtocolCodec.toBytes(root);
    }

    /**
     * Line breaks become spaces, so that a message is one SSE {@code data:} line or one line of an
     * HTTP stream. Safe for JSON: a raw line break may only be whitespace between tokens (inside
     * strings it is escaped), and raw publication data is embedded as it was published.
     */
    private static byte[] singleLine(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                b[i] = ' ';
            }
        }
        return b;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length > prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return false;
            }
        }
        return true;
    }
}
