package dev.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.Publication;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolCodecTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(byte[] bytes) throws Exception {
        return ProtocolCodec.mapper().readTree(bytes);
    }

    @Test
    void decodesNewlineBatchedCommandsInOrder() throws Exception {
        List<Command> cmds = ProtocolCodec.decode(
                b("{\"id\":1,\"connect\":{\"token\":\"t\"}}\n{\"id\":2,\"subscribe\":{\"channel\":\"a\"}}\n\n"));
        assertThat(cmds).extracting(Command::id).containsExactly(1L, 2L);
        assertThat(cmds).extracting(Command::method).containsExactly(Command.Method.CONNECT, Command.Method.SUBSCRIBE);
        assertThat(cmds.get(1).text("channel")).isEqualTo("a");
    }

    @Test
    void emptyObjectIsAPong() throws Exception {
        Command c = ProtocolCodec.decode(b("{}")).get(0);
        assertThat(c.isPong()).isTrue();
        assertThat(ProtocolCodec.isUnknown(c)).isFalse();
    }

    @Test
    void unknownMethodIsReportedNotThrown() throws Exception {
        Command c = ProtocolCodec.decode(b("{\"id\":3,\"teleport\":{}}")).get(0);
        assertThat(ProtocolCodec.isUnknown(c)).isTrue();
        assertThat(c.id()).isEqualTo(3);
    }

    @Test
    void malformedJsonIsRefused() {
        assertThatThrownBy(() -> ProtocolCodec.decode(b("{\"id\":1,"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ProtocolCodec.decode(b("[1,2]"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ProtocolCodec.decode(b("   "))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ProtocolCodec.decode(b("{\"id\":\"x\",\"rpc\":{}}")))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ProtocolCodec.decode(b("{\"id\":1,\"rpc\":5}")))
                .isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"id\":1.5,\"presence\":{\"channel\":\"a\"}}",
                "{\"id\":1e0,\"presence\":{\"channel\":\"a\"}}",
                "{\"id\":\"1\",\"presence\":{\"channel\":\"a\"}}",
                "{\"id\":-1,\"presence\":{\"channel\":\"a\"}}",
                "{\"id\":4294967296,\"presence\":{\"channel\":\"a\"}}",
                "{\"id\":2,\"publish\":{\"channel\":\"a\",\"data\":1},\"publish\":{\"channel\":\"b\",\"data\":2}}",
                "{\"id\":2,\"id\":3,\"presence\":{\"channel\":\"a\"}}",
                "{\"id\":2,\"publish\":{\"channel\":\"a\",\"channel\":\"b\",\"data\":1}}"
            })
    void anIdThatIsNoUint32OrARepeatedKeyIsRefused(String frame) {
        assertThatThrownBy(() -> ProtocolCodec.decode(b(frame))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void theLargestUint32IdIsAccepted() throws Exception {
        assertThat(ProtocolCodec.decode(b("{\"id\":4294967295,\"presence\":{\"channel\":\"a\"}}"))
                        .get(0)
                        .id())
                .isEqualTo(4294967295L);
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"id\":1,\"rpc\":{\"data\":" + "[".repeat(1000) + "]".repeat(1000) + "}}";
        assertThatThrownBy(() -> ProtocolCodec.decode(b(deep))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void publicationPushCarriesRawDataOffsetAndInfo() throws Exception {
        Publication p = new Publication(
                7, b("{\"text\":\"hi\"}"), new ClientInfo("c1", "u1", b("{\"n\":1}"), null), Map.of("k", "v"), 0);
        JsonNode n = json(ProtocolCodec.publicationPush("chat", p));
        assertThat(n.at("/push/channel").asText()).isEqualTo("chat");
        assertThat(n.at("/push/pub/data/text").asText()).isEqualTo("hi");
        assertThat(n.at("/push/pub/offset").asLong()).isEqualTo(7);
        assertThat(n.at("/push/pub/info/user").asText()).isEqualTo("u1");
        assertThat(n.at("/push/pub/info/conn_info/n").asInt()).isEqualTo(1);
        assertThat(n.at("/push/pub/tags/k").asText()).isEqualTo("v");
    }

    @Test
    void errorReplyMarksTemporaryErrors() throws Exception {
        JsonNode n = json(ProtocolCodec.error(4, ProtocolError.INTERNAL));
        assertThat(n.at("/id").asLong()).isEqualTo(4);
        assertThat(n.at("/error/code").asInt()).isEqualTo(100);
        assertThat(n.at("/error/temporary").asBoolean()).isTrue();
        assertThat(json(ProtocolCodec.error(5, ProtocolError.PERMISSION_DENIED))
                        .at("/error")
                        .has("temporary"))
                .isFalse();
    }

    @Test
    void disconnectCodesInTerminalRangesDoNotReconnect() {
        assertThat(Disconnect.SHUTDOWN.reconnect()).isTrue();
        assertThat(Disconnect.INVALID_TOKEN.reconnect()).isFalse();
        assertThat(new Disconnect(4500, "x").reconnect()).isFalse();
        assertThat(new Disconnect(4000, "x").reconnect()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":1}",
                "[1,2]",
                "\"s\"",
                "42",
                "-1.5e3",
                "true",
                "null",
                " {\"a\":[{}]} \r\n\t",
                "{\"k\":\"\u00e9\u6f22\ud83d\ude00\"}"
            })
    void isJsonValueAcceptsExactlyOneValue(String json) {
        assertThat(ProtocolCodec.isJsonValue(b(json))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":1} garbage",
                "{\"a\":1}}",
                "{\"a\":1} {\"b\":2}",
                "1 2",
                "\"a\"\"b\"",
                "",
                " \n ",
                "{\"a\":1",
                "{'a':1}",
                "{\"a\":1,\"a\":2}",
                "nul",
                "{\"a\":1}\n{\"b\":2}"
            })
    void isJsonValueRefusesAnythingElse(String notJson) {
        assertThat(ProtocolCodec.isJsonValue(b(notJson))).isFalse();
    }

    @Test
    void isJsonValueRefusesNullInvalidUtf8AndDeepNesting() {
        assertThat(ProtocolCodec.isJsonValue(null)).isFalse();
        assertThat(ProtocolCodec.isJsonValue(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}))
                .isFalse(); // overlong
        assertThat(ProtocolCodec.isJsonValue(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}))
                .isFalse();
        assertThat(ProtocolCodec.isJsonValue(new byte[] {'"', (byte) 0xFF, '"'}))
                .isFalse();
        assertThat(ProtocolCodec.isJsonValue(
                        b("[".repeat(ProtocolCodec.MAX_NESTING_DEPTH) + "]".repeat(ProtocolCodec.MAX_NESTING_DEPTH))))
                .isTrue();
        int deep = ProtocolCodec.MAX_NESTING_DEPTH + 1;
        assertThat(ProtocolCodec.isJsonValue(b("[".repeat(deep) + "]".repeat(deep))))
                .isFalse();
        assertThat(ProtocolCodec.isJsonValue(b("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000))))
                .isFalse();
    }
}
