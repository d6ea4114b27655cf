package dev.switchboard.redis;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How publications and client infos are stored in streams and carried over pub/sub: compact
 * JSON, payload bytes copied verbatim. The offset is not part of it; it travels beside.
 */
final class PublicationCodec {

    private PublicationCodec() {}

    static byte[] encode(byte[] data, ClientInfo info, Map<String, String> tags, long time) {
        try (ByteArrayBuilder buf = new ByteArrayBuilder(data.length + 64);
                JsonGenerator g = ProtocolCodec.mapper().getFactory().createGenerator(buf)) {
            g.writeStartObject();
            ProtocolCodec.writePublicationFields(g, new Publication(0, data, info, tags, time));
            g.writeNumberField("time", time);
            g.writeEndObject();
            g.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encodeInfo(ClientInfo info) {
        try (ByteArrayBuilder buf = new ByteArrayBuilder(128);
                JsonGenerator g = ProtocolCodec.mapper().getFactory().createGenerator(buf)) {
            ProtocolCodec.writeInfo(g, info);
            g.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Publication decode(long offset, byte[] bytes, int from) throws IOException {
        JsonNode n = ProtocolCodec.mapper().readTree(bytes, from, bytes.length - from);
        JsonNode info = n.get("info");
        Map<String, String> tags = null;
        JsonNode t = n.get("tags");
        if (t != null && t.isObject()) {
            tags = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                tags.put(e.getKey(), e.getValue().asText());
            }
        }
        return new Publication(
                offset,
                ProtocolCodec.toBytes(n.get("data")),
                info == null ? null : decodeInfo(info),
                tags,
                n.path("time").asLong(0));
    }

    static ClientInfo decodeInfo(byte[] bytes, int from) throws IOException {
        return decodeInfo(ProtocolCodec.mapper().readTree(bytes, from, bytes.length - from));
    }

    private static ClientInfo decodeInfo(JsonNode n) {
        JsonNode conn = n.get("conn_info");
        JsonNode chan = n.get("chan_info");
        return new ClientInfo(
                n.path("client").asText(""),
                n.path("user").asText(""),
                conn == null ? null : ProtocolCodec.toBytes(conn),
                chan == null ? null : ProtocolCodec.toBytes(chan));
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
