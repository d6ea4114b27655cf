package dev.switchboard.bench.load;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.switchboard.bench.Micros;
import dev.switchboard.wire.proto.Command;
import dev.switchboard.wire.proto.ConnectRequest;
import dev.switchboard.wire.proto.Reply;
import dev.switchboard.wire.proto.SubscribeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A Centrifugo-protocol connection in the protobuf encoding (subprotocol {@code centrifuge-protobuf}):
 * binary frames of varint-delimited {@code Command}s and {@code Reply}s. A subscriber only: connect
 * with a JWT, subscribe, time each publication from the {@code "t"} in its JSON {@code data}, answer
 * pings (an empty reply) with an empty command.
 */
final class PbConn extends WsConn {

    private static final byte[] PONG = {0}; // an empty Command, length-delimited

    private final String token;
    private final List<String> channels;
    private int subscribeReplies;

    PbConn(LoadGen lg, Role role, int index, String token, List<String> channels) {
        super(lg, role, index);
        this.token = token;
        this.channels = channels;
    }

    @Override
    protected String subprotocol() {
        return "centrifuge-protobuf";
    }

    @Override
    protected void onOpen() {
        sendBinary(List.of(Command.newBuilder()
                .setId(1)
                .setConnect(ConnectRequest.newBuilder().setToken(token).setName("bench"))
                .build()));
    }

    @Override
    protected void onText(ByteBuf content) {
        lg.noteClose(this, "text frame on a protobuf connection");
        close();
    }

    /**
     * Walks the varint-delimited replies without parsing publications: the JSON {@code data} is in
     * the frame byte for byte, so its {@code "t"} is found by scanning, as {@link SbConn} does with
     * JSON. An empty reply is a ping; anything else (connect and subscribe replies) is parsed.
     */
    @Override
    protected void onBinary(ByteBuf b) {
        long now = -1;
        int i = b.readerIndex();
        int end = b.writerIndex();
        while (i < end) {
            int len = 0;
            int shift = 0;
            byte x;
            do {
                x = b.getByte(i++);
                len |= (x & 0x7F) << shift;
                shift += 7;
            } while (x < 0 && shift < 35);
            int from = i;
            i += len;
            if (len == 0) {
                Channel ch = channel;
                if (ch != null) {
                    ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(PONG)));
                }
                continue;
            }
            long t = Payload.findT(b, from, i);
            if (t >= 0) {
                if (now < 0) {
                    now = Micros.now();
                }
                lg.delivered(t, now);
            } else {
                try {
                    reply(Reply.parseFrom(b.nioBuffer(from, len)));
                } catch (InvalidProtocolBufferException e) {
                    lg.noteClose(this, "unreadable reply: " + e);
                    close();
                    return;
                }
            }
        }
    }

    private void reply(Reply r) {
        if (r.hasError() && !ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException((r.getId() == 1 ? "connect" : "subscribe")
                    + " refused: " + r.getError().getCode() + " " + r.getError().getMessage()));
            close();
        } else if (r.getId() == 1) {
            if (channels.isEmpty()) {
                ready.complete(this);
                return;
            }
            int id = 2;
            Command[] subs = new Command[channels.size()];
            for (int i = 0; i < subs.length; i++) {
                subs[i] = Command.newBuilder()
                        .setId(id++)
                        .setSubscribe(SubscribeRequest.newBuilder().setChannel(channels.get(i)))
                        .build();
            }
            sendBinary(List.of(subs));
        } else if (r.getId() <= 1 + channels.size() && ++subscribeReplies == channels.size()) {
            ready.complete(this);
        }
    }

    private void sendBinary(List<? extends MessageLite> messages) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ByteBuf out = ch.alloc().buffer();
        try (ByteBufOutputStream os = new ByteBufOutputStream(out)) {
            for (MessageLite m : messages) {
                m.writeDelimitedTo(os);
            }
        } catch (IOException e) {
            out.release();
            throw new UncheckedIOException(e);
        }
        ch.writeAndFlush(new BinaryWebSocketFrame(out));
    }

    @Override
    protected void encodePublish(ByteBuf out, int channelIndex, long t) {
        throw new UnsupportedOperationException("protobuf connections only subscribe in the bench");
    }
}
