package dev.switchboard.transport;

import dev.switchboard.transport.config.ServerConfig;
import dev.switchboard.transport.http.HealthReport;
import dev.switchboard.transport.http.HttpChannelInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Holds a node's port while the node cannot start because its engine is unreachable: {@code /health}
 * answers 200 (the process is alive, so nothing restarts it), {@code /ready} 503 (no traffic
 * yet), every other path 503 with a temporary error. Same hardened HTTP pipeline (timeouts,
 * limits) as the real server, one event loop thread, no node.
 *
 * <pre>{@code
 * try (StandbyServer standby = StandbyServer.start(config)) {
 *     // retry building the server until its engine connects, then close the standby and start it
 * }
 * }</pre>
 */
public final class StandbyServer implements AutoCloseable {

    private final EventLoopGroup loop;
    private final Channel channel;

    private StandbyServer(EventLoopGroup loop, Channel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    /**
     * Binds the config's address and port.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static StandbyServer start(ServerConfig config) {
        long startedAt = System.currentTimeMillis();
        String node = config.toNodeOptions().name();
        String engine = config.engine().name().toLowerCase();
        Supplier<HealthReport> health = config.healthEnabled()
                ? () -> new HealthReport(
                        true, node, engine, false, false, false, 0, (System.currentTimeMillis() - startedAt) / 1000)
                : null;
        EventLoopGroup loop = new NioEventLoopGroup(1);
        try {
            Channel channel = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childHandler(
                            new HttpChannelInitializer(config.http(), null, null, null, health, null, reason -> {}))
                    .bind(config.address(), config.port())
                    .syncUninterruptibly()
                    .channel();
            return new StandbyServer(loop, channel);
        } catch (RuntimeException e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException(
                    "cannot listen on " + config.address() + ":" + config.port() + ": " + e.getMessage(), e);
        }
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Frees the port (waits until it is free, so the real server can bind it next). */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
