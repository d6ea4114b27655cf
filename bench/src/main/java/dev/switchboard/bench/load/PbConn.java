package dev.switchboard.bench.load;

import com.google.protobuf.MessageLite;
import dev.switchboard.bench.Micros;
import dev.switchboard.wire.proto.Command;
import dev.switchboard.wire.proto.ConnectRequest;
import dev.switchboard.wire.proto.Reply;
import dev.switchboard.wire.proto.SubscribeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
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

    @Override
    protected void onBinary(ByteBuf content) {
        long now = -1;
        try (ByteBufInputStream in = new ByteBufInputStream(content.duplicate())) {
            while (in.available() > 0) {
                Reply r = Reply.parseDelimitedFrom(in);
                if (r.hasPush()) {
                    if (r.getPush().hasPub()) {
                        ByteBuf d = Unpooled.wrappedBuffer(
                                r.getPush().getPub().getData().asReadOnlyByteBuffer());
                        long t = Payload.findT(d, d.readerIndex(), d.writerIndex());
                        if (t >= 0) {
                            if (now < 0) {
                                now = Micros.now();
                            }
                            lg.delivered(t, now);
                        }
                    }
                } else if (r.getId() == 0) {
                    Channel ch = channel;
                    if (ch != null) {
                        ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(PONG)));
                    }
                } else {
                    reply(r);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
