package dev.switchboard.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server's listening sockets and the event loops behind them: the public port (client
 * transports, and everything else without an internal port) and, when set, the internal one.
 * Made by {@link #bind}, which leaves nothing open when it fails.
 */
final class ServerListeners {

    /** Pending connections the kernel may queue per listener before the accept loop takes them. */
    static final int ACCEPT_BACKLOG = 4096;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel publicChannel;
    /** {@code null} without an internal port. */
    private final Channel internalChannel;

    private ServerListeners(
            EventLoopGroup boss, EventLoopGroup workers, Channel publicChannel, Channel internalChannel) {
        this.boss = boss;
        this.workers = workers;
        this.publicChannel = publicChannel;
        this.internalChannel = internalChannel;
    }

    /** Where one listener binds and what serves its connections. */
    record Listener(String address, int port, ChannelHandler pipeline) {}

    /**
     * Starts the event loops and binds the listeners.
     *
     * @param io the resolved transport (not {@link IoTransport#AUTO})
     * @param internal the internal listener, or {@code null}
     * @throws IllegalStateException naming the address and port that could not be bound; the
     *     loops and any listener already bound are released first
     */
    static ServerListeners bind(IoTransport io, int ioThreads, Listener publicListener, Listener internal) {
        EventLoopGroup boss = io.newEventLoopGroup(1, "accept");
        EventLoopGroup workers = io.newEventLoopGroup(ioThreads, "io");
        Channel pub = null;
        try {
            pub = bind(io, boss, workers, publicListener);
            Channel in = internal == null ? null : bind(io, boss, workers, internal);
            return new ServerListeners(boss, workers, pub, in);
        } catch (IllegalStateException e) {
            if (pub != null) {
                pub.close().syncUninterruptibly();
            }
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    private static Channel bind(IoTransport io, EventLoopGroup boss, EventLoopGroup workers, Listener l) {
        try {
            return new ServerBootstrap()
                    .group(boss, workers)
                    .channel(io.serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(l.pipeline())
                    .bind(l.address(), l.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) {
            String why = e instanceof BindException ? "address in use or not available" : e.toString();
            throw new IllegalStateException("cannot listen on " + l.address() + ":" + l.port() + ": " + why, e);
        }
    }

    int publicPort() {
        return ((InetSocketAddress) publicChannel.localAddress()).getPort();
    }

    boolean hasInternal() {
        return internalChannel != null;
    }

    /** The internal port, or the public one without an internal listener. */
    int internalPort() {
        return internalChannel != null ? ((InetSocketAddress) internalChannel.localAddress()).getPort() : publicPort();
    }

    /** Stops accepting connections; open ones stay until the loops shut down. */
    void closeListeners() {
        publicChannel.close().syncUninterruptibly();
        if (internalChannel != null) {
            internalChannel.close().syncUninterruptibly();
        }
    }

    /** Shuts the event loops down, letting them flush (close frames) for up to {@code timeout}. */
    void shutdownLoops(Duration timeout) {
        long quiet = 100;
        long limit = Math.max(quiet, timeout.toMillis());
        drainQueuedTasks(Math.min(limit, 1000));
        boss.shutdownGracefully(0, limit, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(quiet, limit, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /**
     * Waits, up to {@code millis}, until every I/O loop has run the tasks queued so far (the close
     * frames the node's close just queued) and then one more I/O pass. Netty 4.2's loops close every
     * channel as soon as they see the shutdown, before the tasks already queued (4.1 ran those first),
     * and io_uring submits writes on its next I/O pass; without this, clients of a stopping node lose
     * their 3001 close frame to a closed socket.
     */
    private void drainQueuedTasks(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (int round = 0; round < 2; round++) {
            List<Future<?>> marks = new ArrayList<>();
            for (EventExecutor loop : workers) {
                marks.add(loop.submit(() -> {}));
            }
            for (Future<?> mark : marks) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !mark.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        }
    }
}
