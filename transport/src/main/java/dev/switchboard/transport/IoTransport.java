package dev.switchboard.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * The socket I/O Netty's event loops use, the {@code io_transport} key: Java NIO, Linux epoll or
 * Linux io_uring (Netty's native transports, shipped for linux-x86_64). Every event loop the
 * server, its standby listener and the load generator start comes from here.
 *
 * <pre>{@code
 * IoTransport io = IoTransport.AUTO.resolve();          // EPOLL here, NIO on macOS
 * EventLoopGroup loops = io.newEventLoopGroup(4, "io");
 * new ServerBootstrap().group(loops).channel(io.serverChannelClass());
 * }</pre>
 *
 * <p>{@link #AUTO} resolves to the first of {@link #IO_URING}, {@link #EPOLL}, {@link #NIO} that
 * loads; an explicit native choice that does not load fails {@link #resolve()} with Netty's reason
 * (wrong OS or architecture, io_uring disabled by the kernel or a seccomp filter).
 */
public enum IoTransport {
    /** The best transport that loads here: io_uring, else epoll, else NIO. The default. */
    AUTO,
    /** Java NIO: every JVM and OS. */
    NIO,
    /** Linux epoll through Netty's native library (edge-triggered, fewer syscalls and copies than NIO). */
    EPOLL,
    /** Linux io_uring through Netty's native library (kernel 5.14 or newer with io_uring enabled). */
    IO_URING;

    /** The name used in configuration: {@code auto}, {@code nio}, {@code epoll} or {@code io_uring}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration name, ignoring case; {@code io-uring} and {@code iouring} are accepted
     * for {@code io_uring}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static IoTransport fromConfigName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (IoTransport t : values()) {
            if (t.configName().equals(n) || (t == IO_URING && n.equals("iouring"))) {
                return t;
            }
        }
        throw new IllegalArgumentException("must be one of auto, nio, epoll, io_uring, got \"" + name + "\"");
    }

    /** Whether this transport loads in this JVM; always true for {@link #AUTO} and {@link #NIO}. */
    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** Why this transport does not load here, or empty when it does. */
    public Optional<Throwable> unavailabilityCause() {
        try {
            return Optional.ofNullable(
                    switch (this) {
                        case AUTO, NIO -> null;
                        case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
                        case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
                    });
        } catch (LinkageError e) {
            // The native transport's classes were left off the class path (an embedder's exclusion).
            return Optional.of(e);
        }
    }

    /**
     * The transport to use: this one when it loads, or for {@link #AUTO} the first of io_uring,
     * epoll and NIO that does. Never {@link #AUTO}.
     *
     * @throws IllegalStateException for an explicit transport that does not load, with the reason
     */
    public IoTransport resolve() {
        if (this == AUTO) {
            return IO_URING.isAvailable() ? IO_URING : EPOLL.isAvailable() ? EPOLL : NIO;
        }
        Optional<Throwable> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IllegalStateException("io_transport: " + configName() + " is not available here: "
                    + reason(cause.get()) + " (use auto or nio)");
        }
        return this;
    }

    /**
     * One line for the start log: the transport {@link #resolve()} picks and, for {@link #AUTO},
     * why the better ones were passed over, e.g. {@code "epoll (io_transport auto; io_uring not
     * available: ...)"}.
     */
    public String describeResolution() {
        IoTransport chosen = resolve();
        StringBuilder s =
                new StringBuilder(chosen.configName()).append(" (io_transport ").append(configName());
        if (this == AUTO) {
            for (IoTransport better : new IoTransport[] {IO_URING, EPOLL}) {
                if (better == chosen) {
                    break;
                }
                better.unavailabilityCause()
                        .ifPresent(c -> s.append("; ")
                                .append(better.configName())
                                .append(" not available: ")
                                .append(reason(c)));
            }
        }
        return s.append(')').toString();
    }

    /**
     * Starts an event loop group of this transport, its threads named {@code <name>-<transport>-<group>-<n>}
     * ({@code io-epoll-2-1}, {@code io-uring-2-1}).
     *
     * @param threads the number of event loops (threads); 0 means Netty's default (twice the processors)
     * @throws IllegalStateException for {@link #AUTO} (resolve first) or a transport that does not load
     */
    public EventLoopGroup newEventLoopGroup(int threads, String name) {
        IoHandlerFactory handlers = switch (concrete()) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory(name + "-" + (this == IO_URING ? "uring" : configName())), handlers);
    }

    /** The listening socket class that runs on {@link #newEventLoopGroup} of this transport. */
    public Class<? extends ServerChannel> serverChannelClass() {
        return switch (concrete()) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
    }

    /** The client socket class that runs on {@link #newEventLoopGroup} of this transport. */
    public Class<? extends SocketChannel> socketChannelClass() {
        return switch (concrete()) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            default -> NioSocketChannel.class;
        };
    }

    private IoTransport concrete() {
        if (this == AUTO) {
            throw new IllegalStateException("io_transport auto: resolve() it first");
        }
        return resolve();
    }

    private static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String inner =
                root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        String outer = t.getMessage();
        return root == t || outer == null || outer.contains(inner)
                ? (outer != null ? outer : inner)
                : outer + ": " + inner;
    }
}
