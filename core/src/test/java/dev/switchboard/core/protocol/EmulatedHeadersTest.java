package dev.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding the {@code headers} map of a {@code connect} command (headers emulation). */
class EmulatedHeadersTest {

    private static JsonNode json(String s) throws Exception {
        return ProtocolCodec.mapper().readTree(s);
    }

    @Test
    void namesAreLowerCasedAndValuesKept() throws Exception {
        assertThat(ProtocolCodec.emulatedHeaders(json("{\"Authorization\":\"Bearer x\",\"x-a\":\"\"}")))
                .isEqualTo(Map.of("authorization", "Bearer x", "x-a", ""));
    }

    @Test
    void absentOrNullIsEmpty() throws Exception {
        assertThat(ProtocolCodec.emulatedHeaders(null)).isEmpty();
        assertThat(ProtocolCodec.emulatedHeaders(json("null"))).isEmpty();
        assertThat(ProtocolCodec.emulatedHeaders(json("{}"))).isEmpty();
    }

    @Test
    void thirtyTwoEntriesPassAndThirtyThreeAre107() {
        ObjectNode n = ProtocolCodec.mapper().createObjectNode();
        for (int i = 0; i < ProtocolCodec.MAX_EMULATED_HEADERS; i++) {
            n.put("h" + i, "v");
        }
        assertThat(ProtocolCodec.emulatedHeaders(n)).hasSize(32);
        n.put("h32", "v");
        assertThatThrownBy(() -> ProtocolCodec.emulatedHeaders(n)).isSameAs(ProtocolError.BAD_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[]",
                "\"a\"",
                "{\"a\":1}",
                "{\"a\":null}",
                "{\"a\":{}}",
                "{\"a\":[\"x\"]}",
                "{\"a\":true}",
                "{\"\":\"x\"}",
                "{\"a b\":\"x\"}",
                "{\"a:\":\"x\"}",
                "{\"a\":\"x\\r\\nHost: evil\"}",
                "{\"A\":\"1\",\"a\":\"2\"}"
            })
    void anythingButAMapOfStringsIs107(String headers) throws Exception {
        JsonNode n = json(headers);
        assertThatThrownBy(() -> ProtocolCodec.emulatedHeaders(n)).isSameAs(ProtocolError.BAD_REQUEST);
    }

    @Test
    void anOverLongValueIs107() {
        ObjectNode n = ProtocolCodec.mapper().createObjectNode();
        n.put("a", "x".repeat(ProtocolCodec.MAX_EMULATED_HEADER_LENGTH + 1));
        assertThatThrownBy(() -> ProtocolCodec.emulatedHeaders(n)).isSameAs(ProtocolError.BAD_REQUEST);
    }
}
