package dev.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import dev.switchboard.core.protocol.ProtocolFormat;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an upgrade picks the encoding, and how protobuf messages are framed on the way out. */
class ProtobufFramingTest {

    private static ProtocolSelection select(String uri, String... subprotocolHeaders) {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        for (String h : subprotocolHeaders) {
            req.headers().add("Sec-WebSocket-Protocol", h);
        }
        return ProtocolSelection.of(req);
    }

    @Test
    void theSubprotocolOrTheQuerySelectsProtobufAndJsonIsTheDefault() {
        assertThat(select("/connection/websocket", "centrifuge-protobuf"))
                .isEqualTo(new ProtocolSelection(ProtocolFormat.PROTOBUF, "centrifuge-protobuf"));
        assertThat(select("/connection/websocket", "other, centrifuge-protobuf"))
                .isEqualTo(new ProtocolSelection(ProtocolFormat.PROTOBUF, "centrifuge-protobuf"));
        assertThat(select("/connection/websocket", "centrifuge-json, centrifuge-protobuf"))
                .isEqualTo(new ProtocolSelection(ProtocolFormat.JSON, "centrifuge-json"));
        assertThat(select("/connection/websocket?cf_protocol=protobuf"))
                .isEqualTo(new ProtocolSelection(ProtocolFormat.PROTOBUF, null));
        assertThat(select("/connection/websocket?format=protobuf"))
                .isEqualTo(new ProtocolSelection(ProtocolFormat.PROTOBUF, null));
        assertThat(select("/connection/websocket?cf_protocol=json"))
                .isEqualTo(new ProtocolSelection(ProtocolFormat.JSON, null));
        assertThat(select("/connection/websocket?cf_protocol=protobuf&cf_protocol=json"))
                .isEqualTo(new ProtocolSelection(ProtocolFormat.JSON, null));
        assertThat(select("/connection/websocket", "chat")).isEqualTo(new ProtocolSelection(ProtocolFormat.JSON, null));
        assertThat(select("/connection/websocket")).isEqualTo(new ProtocolSelection(ProtocolFormat.JSON, null));
        // A malformed escape in the query is no selection, never an exception on the event loop.
        assertThat(select("/connection/websocket?cf_protocol=%zz&x=%"))
                .isEqualTo(new ProtocolSelection(ProtocolFormat.JSON, null));
    }

    @Test
    void protobufMessagesAreBatchedIntoBinaryFramesEachBehindItsVarintLength() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport t = new WebSocketTransport(ch, 1 << 20, Map.of(), ProtocolFormat.PROTOBUF);
        assertThat(t.format()).isEqualTo(ProtocolFormat.PROTOBUF);
        byte[] big = new byte[300];
        t.write(new byte[0]); // the ping: an empty Reply
        t.write(new byte[] {8, 1});
        t.write(big);
        ch.runPendingTasks();
        BinaryWebSocketFrame frame = ch.readOutbound();
        assertThat((Object) ch.readOutbound()).as("one frame for the batch").isNull();
        CodedInputStream in = CodedInputStream.newInstance(ByteBufUtil.getBytes(frame.content()));
        List<Integer> lengths = new ArrayList<>();
        while (!in.isAtEnd()) {
            int n = in.readRawVarint32();
            lengths.add(n);
            in.skipRawBytes(n);
        }
        assertThat(lengths).containsExactly(0, 2, 300);
        frame.release();
    }

    @Test
    void batchesStayUnderTheFrameSizeAndJsonStaysText() {
        EmbeddedChannel ch = new EmbeddedChannel();
        WebSocketTransport t = new WebSocketTransport(ch, 1 << 20, Map.of(), ProtocolFormat.PROTOBUF);
        for (int i = 0; i < 3; i++) {
            t.write(new byte[WebSocketTransport.MAX_BATCH_BYTES / 2]);
        }
        ch.runPendingTasks();
        int frames = 0;
        BinaryWebSocketFrame f;
        while ((f = ch.readOutbound()) != null) {
            assertThat(f.content().readableBytes()).isLessThanOrEqualTo(WebSocketTransport.MAX_BATCH_BYTES);
            f.release();
            frames++;
        }
        assertThat(frames).isEqualTo(3);

        EmbeddedChannel jsonCh = new EmbeddedChannel();
        WebSocketTransport json = new WebSocketTransport(jsonCh, 1 << 20);
        json.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        json.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jsonCh.runPendingTasks();
        TextWebSocketFrame text = jsonCh.readOutbound();
        assertThat(text.text()).isEqualTo("{}\n{}");
        text.release();
    }

    @Test
    void varintsAreProtobufs() {
        assertThat(WebSocketTransport.varint(0)).containsExactly(0);
        assertThat(WebSocketTransport.varint(127)).containsExactly(127);
        assertThat(WebSocketTransport.varint(300)).containsExactly(0xAC, 0x02);
        assertThat(WebSocketTransport.varint(65_536)).containsExactly(0x80, 0x80, 0x04);
    }
}
