package dev.switchboard.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One load-generator WebSocket connection on Netty: the handshake, ping answers, and a
 * protocol-specific part (Centrifugo JSON in {@link SbConn}, Socket.IO in {@link SioConn}).
 * Frames are read straight from the buffer; nothing is decoded on the delivery path but the
 * timestamp.
 */
abstract class WsConn extends SimpleChannelInboundHandler<Object> implements Publisher {

    enum Role {
        SUBSCRIBER,
        PUBLISHER,
        AGENT,
        /** Opened, timed and closed by a {@code conns} run (its close is expected). */
        PROBE
    }

    /** Largest frame accepted from the server (ours joins messages into frames up to 64 KiB). */
    static final int MAX_FRAME = 4 * 1024 * 1024;

    protected final LoadGen lg;
    protected final Role role;
    final int index;
    final CompletableFuture<WsConn> ready = new CompletableFuture<>();
    protected volatile Channel channel;
    private WebSocketClientHandshaker handshaker;
    private final Queue<long[]> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    WsConn(LoadGen lg, Role role, int index) {
        this.lg = lg;
        this.role = role;
        this.index = index;
    }

    /** Called once the WebSocket is open. */
    protected abstract void onOpen();

    /** One text frame. */
    protected abstract void onText(ByteBuf content);

    /** One binary frame (only protobuf connections get them). */
    protected void onBinary(ByteBuf content) {}

    /** The WebSocket subprotocol to ask for, or null. */
    protected String subprotocol() {
        return null;
    }

    /** Encodes one publish command for channel {@code channelIndex} with timestamp {@code t}. */
    protected abstract void encodePublish(ByteBuf out, int channelIndex, long t);

    ChannelFuture open(Bootstrap template, URI uri, InetSocketAddress remote, InetSocketAddress local) {
        handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, subprotocol(), false, new DefaultHttpHeaders(), MAX_FRAME);
        return connect(template, remote, local, new HttpClientCodec(), new HttpObjectAggregator(65536));
    }

    /** Connects with {@code before} and then this handler in the pipeline; a failure fails {@link #ready}. */
    protected ChannelFuture connect(
            Bootstrap template, InetSocketAddress remote, InetSocketAddress local, ChannelHandler... before) {
        Bootstrap b = template.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(before).addLast(WsConn.this);
            }
        });
        ChannelFuture f = local == null ? b.connect(remote) : b.connect(remote, local);
        f.addListener(x -> {
            if (!x.isSuccess()) {
                ready.completeExceptionally(x.cause());
            }
        });
        return f;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        handshaker.handshake(channel);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (!handshaker.isHandshakeComplete()) {
            if (msg instanceof FullHttpResponse res) {
                try {
                    handshaker.finishHandshake(ctx.channel(), res);
                } catch (RuntimeException e) {
                    ready.completeExceptionally(e);
                    ctx.close();
                    return;
                }
                onOpen();
            }
            return;
        }
        if (msg instanceof TextWebSocketFrame f) {
            onText(f.content());
        } else if (msg instanceof BinaryWebSocketFrame f) {
            onBinary(f.content());
        } else if (msg instanceof PingWebSocketFrame p) {
            ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
        } else if (msg instanceof CloseWebSocketFrame c) {
            lg.noteClose(this, c.statusCode() + " " + c.reasonText());
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException("closed before ready"));
        }
        lg.connectionClosed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ready.isDone()) {
            ready.completeExceptionally(cause);
        }
        lg.noteClose(this, cause.toString());
        ctx.close();
    }

    void send(String text) {
        send(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
    }

    void send(ByteBuf text) {
        Channel ch = channel;
        if (ch != null) {
            ch.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    /** Queues a publish from the pacer thread; frames are written and flushed on the event loop. */
    @Override
    public void enqueuePublish(int channelIndex, long t) {
        outbox.add(new long[] {channelIndex, t});
    }

    /** Writes every queued publish, one frame each, with one flush. */
    @Override
    public void flushOutbox() {
        Channel ch = channel;
        if (ch == null || outbox.isEmpty() || !flushScheduled.compareAndSet(false, true)) {
            return;
        }
        ch.eventLoop().execute(() -> {
            flushScheduled.set(false);
            long[] m;
            boolean any = false;
            while ((m = outbox.poll()) != null) {
                ByteBuf out = ch.alloc().buffer(lg.payload.size() + 96);
                encodePublish(out, (int) m[0], m[1]);
                ch.write(new TextWebSocketFrame(out));
                lg.published.increment();
                any = true;
            }
            if (any) {
                ch.flush();
            }
        });
    }

    void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    static boolean startsWith(ByteBuf b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(from + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static boolean contains(ByteBuf b, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
