package dev.switchboard.transport;

import dev.switchboard.transport.config.ServerConfig;
import dev.switchboard.transport.http.HealthReport;
import dev.switchboard.transport.http.HttpChannelInitializer;
import dev.switchboard.transport.tls.TlsChannelInitializer;
import dev.switchboard.transport.tls.TlsContextHolder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Holds a node's health port (the internal port when set, else the public one) while the node cannot start because its engine is unreachable: {@code /health}
 * answers 200 (the process is alive, so nothing restarts it), {@code /ready} 503 (no traffic
 * yet), every other path 503 with a temporary error. Same hardened HTTP pipeline (timeouts,
 * limits) as the real server, one event loop thread, no node. On the public port with
 * {@code tls.enabled} it speaks TLS, as the real server will.
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
        ChannelHandler pipeline = HttpChannelInitializer.standby(config.http(), health, reason -> {});
        if (config.tls().enabled() && config.internalPort() == 0) {
            // Health on the public port, which clients and checks reach over TLS: speak it there too
            // (the files as they are now; the real server reloads them).
            pipeline = new TlsChannelInitializer(TlsContextHolder.load(config.tls()), pipeline, reason -> {});
        }
        IoTransport io = config.ioTransport().resolve();
        EventLoopGroup loop = io.newEventLoopGroup(1, "standby");
        try {
            Channel channel = new ServerBootstrap()
                    .group(loop)
                    .channel(io.serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childHandler(pipeline)
                    .bind(address(config), port(config))
                    .syncUninterruptibly()
                    .channel();
            return new StandbyServer(loop, channel);
        } catch (RuntimeException e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException(
                    "cannot listen on " + address(config) + ":" + port(config) + ": " + e.getMessage(), e);
        }
    }

    /** Where health is served: the internal port when there is one, else the public port. */
    private static int port(ServerConfig config) {
        return config.internalPort() != 0 ? config.internalPort() : config.port();
    }

    private static String address(ServerConfig config) {
        return config.internalPort() != 0 ? config.internalAddress() : config.address();
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
