package dev.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.bench.Json;
import dev.switchboard.bench.Micros;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Centrifugo-protocol (JSON) connection to a Switchboard node: connect with a JWT (or without
 * one, for the connect proxy to decide), subscribe,
 * publish with {@code publish} commands, answer {@code {}} pings, and — as an agent — answer
 * {@code sb_invoke} messages with {@code sb_result} sends.
 */
class SbConn extends WsConn {

    private static final byte[] ID = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUSH = "{\"push\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_KEY = "error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INVOKE = "\"sb_invoke\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUB_MID = ",\"publish\":{\"channel\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUB_DATA = "\",\"data\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PUB_END = "}}".getBytes(StandardCharsets.US_ASCII);

    private final String token;
    private final List<String> channels;
    private int subscribeReplies;
    /** {@link System#nanoTime()} when the WebSocket opened, the connect reply came, subscribes went, ready. */
    volatile long openNs;

    volatile long connectReplyNs;
    volatile long subscribeSentNs;
    volatile long readyNs;
    private long nextId = 1;

    SbConn(LoadGen lg, Role role, int index, String token, List<String> channels) {
        super(lg, role, index);
        this.token = token;
        this.channels = channels;
    }

    @Override
    protected void onOpen() {
        openNs = System.nanoTime();
        send("{\"id\":" + (nextId++) + ",\"connect\":{"
                + (token == null ? "" : "\"token\":\"" + token + "\",")
                + "\"name\":\"bench\"}}");
    }

    @Override
    protected void onText(ByteBuf b) {
        int end = b.writerIndex();
        int start = b.readerIndex();
        long now = -1;
        while (start < end) {
            int nl = b.indexOf(start, end, (byte) '\n');
            int lineEnd = nl < 0 ? end : nl;
            if (lineEnd - start == 2 && b.getByte(start) == '{' && b.getByte(start + 1) == '}') {
                send("{}"); // pong
            } else if (startsWith(b, start, lineEnd, PUSH)) {
                long t = Payload.findT(b, start, lineEnd);
                if (t >= 0) {
                    if (now < 0) {
                        now = Micros.now();
                    }
                    lg.delivered(t, now);
                } else if (role == Role.AGENT && contains(b, start, lineEnd, INVOKE)) {
                    answerInvoke(b, start, lineEnd);
                }
            } else if (startsWith(b, start, lineEnd, ID)) {
                reply(b, start, lineEnd);
            }
            start = lineEnd + 1;
        }
    }

    private void reply(ByteBuf b, int from, int to) {
        int i = from + ID.length;
        long id = 0;
        while (i < to) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            id = id * 10 + (c - '0');
            i++;
        }
        // After the id: ,"<key>" where key is the command name or "error".
        boolean error = startsWith(b, i + 2, to, ERROR_KEY);
        if (id == 1) {
            connectReplyNs = System.nanoTime();
            if (error) {
                ready.completeExceptionally(new IllegalStateException(
                        "connect refused: " + b.toString(from, to - from, StandardCharsets.UTF_8)));
                close();
                return;
            }
            if (channels.isEmpty()) {
                readyNs = connectReplyNs;
                ready.complete(this);
                return;
            }
            StringBuilder sb = new StringBuilder();
            for (String ch : channels) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append("{\"id\":")
                        .append(nextId++)
                        .append(",\"subscribe\":{\"channel\":\"")
                        .append(ch)
                        .append("\"}}");
            }
            subscribeSentNs = System.nanoTime();
            send(sb.toString());
        } else if (id <= 1 + channels.size()) {
            if (error) {
                ready.completeExceptionally(new IllegalStateException(
                        "subscribe refused: " + b.toString(from, to - from, StandardCharsets.UTF_8)));
                close();
                return;
            }
            if (++subscribeReplies == channels.size()) {
                readyNs = System.nanoTime();
                ready.complete(this);
            }
        } else if (error) {
            lg.publishReply(false, b.toString(from, to - from, StandardCharsets.UTF_8));
        } else {
            lg.publishReply(true, null);
        }
    }

    private void answerInvoke(ByteBuf b, int from, int to) {
        JsonNode n = Json.parse(ByteBufUtil.getBytes(b, from, to - from));
        JsonNode inv = n.at("/push/message/data/sb_invoke");
        String id = inv.path("id").asText();
        JsonNode data = inv.get("data");
        send("{\"send\":{\"data\":{\"sb_result\":{\"id\":\"" + id + "\",\"data\":"
                + (data == null ? "null" : data.toString()) + "}}}}");
        lg.invocationsAnswered.increment();
    }

    @Override
    protected void encodePublish(ByteBuf out, int channelIndex, long t) {
        out.writeBytes(ID);
        out.writeCharSequence(Long.toString(nextId++), StandardCharsets.US_ASCII);
        out.writeBytes(PUB_MID);
        out.writeCharSequence(lg.channelName(channelIndex), StandardCharsets.US_ASCII);
        out.writeBytes(PUB_DATA);
        lg.payload.write(out, t);
        out.writeBytes(PUB_END);
    }
}
