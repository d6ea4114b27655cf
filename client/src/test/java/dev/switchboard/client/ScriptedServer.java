package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.transport.IoTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A WebSocket server whose every reply the test writes by hand, to drive the client through
 * protocol situations a real node produces rarely or never on demand (a silent server, 109 on
 * connect, a 2500 unsubscribe push). Real sockets, Netty.
 */
final class ScriptedServer implements AutoCloseable {

    private final EventLoopGroup group = IoTransport.NIO.newEventLoopGroup(1, "test");
    private final Channel listener;
    /** Every text frame received, as sent. */
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    /** Every command line received, parsed. */
    final BlockingQueue<JsonNode> commands = new LinkedBlockingQueue<>();

    final AtomicInteger connections = new AtomicInteger();
    private volatile Channel client;

    ScriptedServer() {
        listener = new ServerBootstrap()
                .group(group)
                .channel(IoTransport.NIO.serverChannelClass())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(1 << 20))
                                .addLast(new WebSocketServerProtocolHandler("/connection/websocket"))
                                .addLast(new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                                            client = ctx.channel();
                                            connections.incrementAndGet();
                                        }
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                        String text = f.text();
                                        frames.add(text);
                                        for (String line : text.split("\n")) {
                                            if (!line.isBlank()) {
                                                commands.add(ServerFixture.parse(line));
                                            }
                                        }
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
    }

    URI uri() {
        return URI.create(
                "ws://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort() + "/connection/websocket");
    }

    /** The next command that matches, skipping others (e.g. pongs); fails after 5 s. */
    JsonNode next(Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode n;
            try {
                n = commands.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (n != null && match.test(n)) {
                return n;
            }
        }
        throw new AssertionError("no matching command within 5 s");
    }

    /** The next command carrying {@code method}. */
    JsonNode next(String method) {
        return next(n -> n.has(method));
    }

    /** Sends a raw frame to the latest client connection. */
    void send(String frame) {
        assertThat(client).as("a connected client").isNotNull();
        client.writeAndFlush(new TextWebSocketFrame(frame)).syncUninterruptibly();
    }

    /** Replies to {@code command} with {@code {"id":…,"<method>":result}}. */
    void reply(JsonNode command, String method, String result) {
        send("{\"id\":" + command.path("id").asInt() + ",\"" + method + "\":" + result + "}");
    }

    void replyError(JsonNode command, int code, String message, boolean temporary) {
        send("{\"id\":" + command.path("id").asInt() + ",\"error\":{\"code\":" + code + ",\"message\":\"" + message
                + "\"" + (temporary ? ",\"temporary\":true" : "") + "}}");
    }

    /** Accepts the next connect with the given reply body; returns the connect command. */
    JsonNode acceptConnect(String result) {
        JsonNode c = next("connect");
        reply(c, "connect", result);
        return c;
    }

    void closeClient(int code, String reason) {
        client.writeAndFlush(new CloseWebSocketFrame(code, reason));
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
