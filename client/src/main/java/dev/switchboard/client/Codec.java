package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON encoding of commands and decoding of replies and pushes (protocol v2, JSON). Stateless. */
final class Codec {

    /** Keeps decimals exact so re-encoded data has the value the server sent. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Codec() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String encode(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    static byte[] toBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    /** Parses one line the server sent. */
    static JsonNode parse(String line) throws JsonProcessingException {
        return MAPPER.readTree(line);
    }

    /** Parses JSON text an application passed in. */
    static JsonNode parseArgument(String json) {
        if (json == null) {
            return NullNode.getInstance();
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || n.isMissingNode()) {
                throw new SwitchboardException(SwitchboardException.BAD_ARGUMENT, "empty JSON text");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new SwitchboardException(
                    SwitchboardException.BAD_ARGUMENT, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** An application value as JSON: trees as they are, {@code null} as JSON null, anything else through Jackson. */
    static JsonNode toJson(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        return MAPPER.valueToTree(value);
    }

    /** {@code {"id":id,"<method>":params}}. */
    static ObjectNode command(int id, String method, JsonNode params) {
        ObjectNode c = object();
        c.put("id", id);
        c.set(method, params);
        return c;
    }

    /** The {@code connect} command's body. */
    static ObjectNode connect(ClientOptions options, String token) {
        ObjectNode p = object();
        if (token != null) {
            p.put("token", token);
        }
        options.data().ifPresent(d -> p.set("data", d));
        p.put("name", options.name());
        if (!options.version().isEmpty()) {
            p.put("version", options.version());
        }
        return p;
    }

    static SwitchboardException error(JsonNode err) {
        return new SwitchboardException(
                err.path("code").asInt(0),
                err.path("message").asText(""),
                err.path("temporary").asBoolean(false));
    }

    static ClientInfo clientInfo(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        return new ClientInfo(
                n.path("client").asText(""), n.path("user").asText(""), n.get("conn_info"), n.get("chan_info"));
    }

    static Publication publication(String channel, JsonNode pub) {
        JsonNode data = pub.get("data");
        Map<String, String> tags = Collections.emptyMap();
        JsonNode t = pub.get("tags");
        if (t != null && t.isObject()) {
            tags = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                tags.put(e.getKey(), e.getValue().asText());
            }
        }
        return new Publication(
                channel,
                data == null ? NullNode.getInstance() : data,
                pub.path("offset").asLong(0),
                clientInfo(pub.get("info")),
                tags);
    }

    static StreamPosition position(JsonNode n) {
        return new StreamPosition(
                Math.max(0, n.path("offset").asLong(0)), n.path("epoch").asText(""));
    }

    static HistoryResult history(String channel, JsonNode result) {
        List<Publication> pubs = new ArrayList<>();
        for (JsonNode p : result.path("publications")) {
            pubs.add(publication(channel, p));
        }
        return new HistoryResult(pubs, position(result));
    }

    static Map<String, ClientInfo> presence(JsonNode result) {
        Map<String, ClientInfo> m = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : result.path("presence").properties()) {
            m.put(e.getKey(), clientInfo(e.getValue()));
        }
        return Collections.unmodifiableMap(m);
    }

    static PresenceStats presenceStats(JsonNode result) {
        return new PresenceStats(
                result.path("num_clients").asInt(0), result.path("num_users").asInt(0));
    }
}
