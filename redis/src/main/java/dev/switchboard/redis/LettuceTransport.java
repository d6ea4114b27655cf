package dev.switchboard.redis;

import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;
import io.lettuce.core.resource.KqueueProvider;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points Lettuce's socket I/O at the transport {@link RedisEngineOptions#ioTransport()} names.
 * Lettuce has no per-client choice: it uses a native transport whenever one loads (epoll before
 * io_uring), unless the system properties {@code io.lettuce.core.epoll} / {@code
 * io.lettuce.core.iouring} say {@code false}, and it reads them once per JVM, when its providers
 * first load. So this sets them before the first client is made; a later engine in the same JVM
 * asking for another transport gets the first one, with a warning.
 *
 * <pre>{@code
 * LettuceTransport.apply("epoll");   // before RedisClient.create: returns "epoll" where it loads
 * }</pre>
 */
final class LettuceTransport {

    private static final Logger log = LoggerFactory.getLogger(LettuceTransport.class);

    static final String AUTO = "auto";
    static final String NIO = "nio";
    static final String EPOLL = "epoll";
    static final String IO_URING = "io_uring";
    private static final String EPOLL_PROPERTY = "io.lettuce.core.epoll";
    private static final String IO_URING_PROPERTY = "io.lettuce.core.iouring";

    private LettuceTransport() {}

    /**
     * The transport name in its configuration form.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    static String check(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (n) {
            case AUTO, NIO, EPOLL, IO_URING -> n;
            case "iouring" -> IO_URING;
            default ->
                throw new IllegalArgumentException(
                        "io_transport must be one of auto, nio, epoll, io_uring, got \"" + name + "\"");
        };
    }

    /**
     * Makes Lettuce use {@code transport} ({@code auto} leaves Lettuce's own choice and the system
     * properties as they are); returns the transport Lettuce uses.
     */
    static synchronized String apply(String transport) {
        String wanted = check(transport);
        if (!wanted.equals(AUTO)) {
            System.setProperty(EPOLL_PROPERTY, String.valueOf(wanted.equals(EPOLL)));
            System.setProperty(IO_URING_PROPERTY, String.valueOf(wanted.equals(IO_URING)));
        }
        String used = inUse();
        if (!wanted.equals(AUTO) && !wanted.equals(used)) {
            log.warn(
                    "Redis client I/O is {}, not io_transport {}: Lettuce picks its transport once per JVM",
                    used,
                    wanted);
        } else {
            log.debug("Redis client I/O: {} (io_transport {})", used, wanted);
        }
        return used;
    }

    /** The transport Lettuce's new connections use, in Lettuce's order of preference. */
    static String inUse() {
        return EpollProvider.isAvailable()
                ? EPOLL
                : KqueueProvider.isAvailable() ? "kqueue" : IOUringProvider.isAvailable() ? IO_URING : NIO;
    }
}
