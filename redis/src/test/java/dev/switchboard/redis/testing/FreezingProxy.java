package dev.switchboard.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of Redis that can make pub/sub connections deaf: the connection stays
 * open and commands still reach Redis, but nothing Redis sends comes back — what a client sees
 * after some failovers. A connection counts as pub/sub once it sent a SUBSCRIBE.
 */
public final class FreezingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean pubSub;
        volatile boolean frozen;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    public FreezingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "freezing-proxy");
        t.setDaemon(true);
        t.start();
    }

    public String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** Makes every current pub/sub connection deaf. */
    public int freezePubSub() {
        int n = 0;
        for (Link l : links) {
            if (l.pubSub) {
                l.frozen = true;
                n++;
            }
        }
        return n;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket c = server.accept();
                Socket u = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link l = new Link(c, u);
                links.add(l);
                pump(l, c.getInputStream(), u.getOutputStream(), true);
                pump(l, u.getInputStream(), c.getOutputStream(), false);
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void pump(Link l, InputStream in, OutputStream out, boolean fromClient) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[16384];
                    try {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            if (fromClient
                                    && !l.pubSub
                                    && new String(buf, 0, n, StandardCharsets.ISO_8859_1)
                                            .toUpperCase()
                                            .contains("SUBSCRIBE")) {
                                l.pubSub = true;
                            }
                            if (!fromClient && l.frozen) {
                                continue;
                            }
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // connection ended
                    } finally {
                        closeQuietly(l.client);
                        closeQuietly(l.upstream);
                        links.remove(l);
                    }
                },
                "freezing-proxy-link");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Link l : links) {
            closeQuietly(l.client);
            closeQuietly(l.upstream);
        }
    }
}
