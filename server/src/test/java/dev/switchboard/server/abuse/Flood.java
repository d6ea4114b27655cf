package dev.switchboard.server.abuse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * An attacker that writes to one socket on a thread of its own, as fast as the socket takes it,
 * and never reads. The node closing the connection shows up as a failed write (the node's kernel
 * resets a closed socket that still receives data) or as the socket leaving ESTABLISHED.
 */
final class Flood implements AutoCloseable {

    private final Socket socket;
    private final long startedAt = System.nanoTime();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile long closedAfterMs = -1;
    private volatile long bytesWritten;
    private volatile String failure;

    /**
     * @param chunk the bytes of the i-th write ({@code null} ends the flood, keeping the socket open)
     * @param pauseMs pause between writes (0: as fast as possible)
     */
    Flood(String name, Socket socket, IntFunction<byte[]> chunk, long pauseMs) {
        this.socket = socket;
        this.thread = new Thread(
                () -> {
                    try {
                        OutputStream out = socket.getOutputStream();
                        for (int i = 0; ; i++) {
                            byte[] b = chunk.apply(i);
                            if (b == null) {
                                break;
                            }
                            out.write(b);
                            out.flush();
                            bytesWritten += b.length;
                            if (pauseMs > 0) {
                                Thread.sleep(pauseMs);
                            }
                        }
                    } catch (IOException e) {
                        if (!socket.isClosed()) {
                            closedAfterMs = (System.nanoTime() - startedAt) / 1_000_000;
                            failure = e.toString();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                },
                "flood-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits until the node closed the connection (a write failed or the socket left ESTABLISHED):
     * the milliseconds from the start of the flood, or -1 if it was still open after {@code wait}.
     */
    long awaitClosed(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            boolean finished;
            try {
                finished = done.await(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            if (finished && closedAfterMs >= 0) {
                return closedAfterMs;
            }
            if (peerClosed(socket)) {
                return (System.nanoTime() - startedAt) / 1_000_000;
            }
            if (finished) {
                HostileNode.sleep(50);
            }
        }
        return -1;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    String failure() {
        return failure;
    }

    /**
     * Whether the peer closed or reset the connection, from the kernel's view in /proc/net/tcp:
     * anything but ESTABLISHED (or the entry being gone) counts. False where /proc is missing.
     */
    static boolean peerClosed(Socket s) {
        Set<String> open = established();
        return s.isClosed() || (open != null && !open.contains(key(s)));
    }

    /** The loopback TCP connections in ESTABLISHED state ({@link #key} of each), or null without /proc. */
    static Set<String> established() {
        try {
            Set<String> open = new HashSet<>();
            for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
                Path p = Path.of(table);
                if (!Files.exists(p)) {
                    continue;
                }
                for (String line : Files.readAllLines(p)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[3].equals("01")) {
                        open.add(v4(f[1]) + " " + v4(f[2]));
                    }
                }
            }
            return open;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** An IPv4-mapped IPv6 entry of /proc/net/tcp6 in the form /proc/net/tcp uses. */
    private static String v4(String address) {
        return address.startsWith("0000000000000000FFFF0000") ? address.substring(24) : address;
    }

    /** A client socket's entry in {@link #established()}. */
    static String key(Socket s) {
        return hex(s.getLocalAddress().getAddress(), s.getLocalPort()) + " "
                + hex(s.getInetAddress().getAddress(), s.getPort());
    }

    private static String hex(byte[] ip, int port) {
        return String.format(Locale.ROOT, "%02X%02X%02X%02X:%04X", ip[3], ip[2], ip[1], ip[0], port);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
