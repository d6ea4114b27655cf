package dev.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.Micros;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * A Socket.IO 4 connection (Engine.IO 4 over WebSocket, no polling) to the peer. Rooms are
 * joined from the CONNECT packet's auth ({@code {"rooms":[...]}}), publications arrive as
 * {@code 42["m",{...}]}, publishes go out as {@code 42["p","room",{...}]}, and agents answer
 * {@code 42<id>["invoke",{...}]} with the ack {@code 43<id>[data]}.
 *
 * <p>The same for both peers: with connection-state recovery ({@code socketio-streams}) the CONNECT
 * reply also carries a {@code pid} and each event a stream offset as its last argument
 * ({@code 42["m",{...},"1796183335480-0"]}); neither matters here, since a connection is ready on
 * any CONNECT reply and the send time is found by its {@code "t":} key wherever it stands.
 */
final class SioConn extends WsConn {

    private static final byte[] PUB_HEAD = "42[\"p\",\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUB_MID = "\",".getBytes(StandardCharsets.US_ASCII);

    private final String auth;

    SioConn(LoadGen lg, Role role, int index, String authJson) {
        super(lg, role, index);
        this.auth = authJson;
    }

    @Override
    protected void onOpen() {
        // Wait for the Engine.IO open packet ("0{...}").
    }

    @Override
    protected void onText(ByteBuf b) {
        int from = b.readerIndex();
        int to = b.writerIndex();
        if (to - from < 1) {
            return;
        }
        byte type = b.getByte(from);
        switch (type) {
            case '0' -> send("40" + auth);
            case '2' -> send("3");
            case '1' -> close();
            case '4' -> message(b, from, to);
            default -> {}
        }
    }

    private void message(ByteBuf b, int from, int to) {
        if (to - from < 2) {
            return;
        }
        byte kind = b.getByte(from + 1);
        if (kind == '2') {
            if (role == Role.AGENT) {
                answerInvoke(b, from + 2, to);
                return;
            }
            long t = Payload.findT(b, from, to);
            if (t >= 0) {
                lg.delivered(t, Micros.now());
            }
        } else if (kind == '0') {
            ready.complete(this);
        } else if (kind == '4') {
            ready.completeExceptionally(
                    new IllegalStateException("connect_error: " + b.toString(from, to - from, StandardCharsets.UTF_8)));
            close();
        }
    }

    private void answerInvoke(ByteBuf b, int from, int to) {
        int i = from;
        while (i < to && b.getByte(i) >= '0' && b.getByte(i) <= '9') {
            i++;
        }
        if (i == from) {
            return; // an event without ack
        }
        String ackId = b.toString(from, i - from, StandardCharsets.US_ASCII);
        JsonNode arr = Json.parse(ByteBufUtil.getBytes(b, i, to - i));
        JsonNode data = arr.path(1).get("data");
        send("43" + ackId + "[" + (data == null ? "null" : data.toString()) + "]");
        lg.invocationsAnswered.increment();
    }

    @Override
    protected void encodePublish(ByteBuf out, int channelIndex, long t) {
        out.writeBytes(PUB_HEAD);
        out.writeCharSequence(lg.channelName(channelIndex), StandardCharsets.US_ASCII);
        out.writeBytes(PUB_MID);
        lg.payload.write(out, t);
        out.writeByte(']');
        lg.publishReply(true, null); // no ack on the peer's publish event
    }
}
