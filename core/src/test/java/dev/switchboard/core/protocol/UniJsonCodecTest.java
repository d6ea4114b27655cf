package dev.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UniJsonCodecTest {

    private final ClientCodec uni = ClientCodec.of(ProtocolFormat.UNI_JSON);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void theConnectRequestIsCommandOnesConnectAndBlankOrNullIsAnEmptyOne() throws Exception {
        List<Command> cmds = uni.decode(b("{\"token\":\"t\",\"subs\":{\"news\":{\"recover\":true}}}"));
        assertThat(cmds).hasSize(1);
        assertThat(cmds.get(0).id()).isEqualTo(UniJsonCodec.CONNECT_ID);
        assertThat(cmds.get(0).method()).isEqualTo(Command.Method.CONNECT);
        assertThat(cmds.get(0).text("token")).isEqualTo("t");
        // Pretty-printed JSON is one request, not a batch of lines.
        assertThat(uni.decode(b("{\n  \"token\": \"t\"\n}")).get(0).text("token"))
                .isEqualTo("t");
        assertThat(uni.decode(b("")).get(0).params().isEmpty()).isTrue();
        assertThat(uni.decode(b("null")).get(0).params().isEmpty()).isTrue();
        assertThatThrownBy(() -> uni.decode(b("[1]"))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> uni.decode(b("{\"token\":"))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void pushesLoseTheirEnvelopeAndLineBreaksTheConnectReplyItsIdAndOtherRepliesAreDropped() {
        assertThat(s(uni.encode(
                        b("{\"push\":{\"channel\":\"news\",\"pub\":{\"data\":{\n\"a\":1\r\n},\"offset\":3}}}"))))
                .isEqualTo("{\"channel\":\"news\",\"pub\":{\"data\":{ \"a\":1  },\"offset\":3}}");
        assertThat(s(uni.encode(b("{\"id\":1,\"connect\":{\"client\":\"c\"}}"))))
                .isEqualTo("{\"connect\":{\"client\":\"c\"}}");
        assertThat(uni.encode(ProtocolCodec.error(1, ProtocolError.UNAUTHORIZED)))
                .isNull();
        assertThat(s(uni.encode(ProtocolCodec.PING))).isEqualTo("{}");
        assertThat(s(UniJsonCodec.disconnectPush(Disconnect.INVALID_TOKEN)))
                .isEqualTo("{\"disconnect\":{\"code\":3500,\"reason\":\"invalid token\"}}");
    }
}
