package dev.switchboard.server.abuse;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain {@link Socket}: writes the upgrade and then whatever frames a test
 * builds, masked as a client must, including ones no well-behaved client library would send
 * (floods of control frames, fragments over the limit, invalid UTF-8). It reads only when asked,
 * so it can play a peer that never reads.
 */
final class RawWebSocket implements AutoCloseable {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** What {@link #awaitClose} answers when the TCP connection ended without a Close frame. */
    static final int NO_CLOSE_FRAME = 1006;
    /** What {@link #awaitClose} answers when the connection was still open at the deadline. */
    static final int STILL_OPEN = -1;

    /** A frame the server sent. */
    record Frame(int opcode, boolean fin, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects from loopback and completes the upgrade (reads only the 101 response). */
    static RawWebSocket open(int port) throws IOException {
        return open(port, (InetAddress) null);
    }

    /** Connects to {@code path} (e.g. the WebSocket path with {@code ?cf_protocol=protobuf}). */
    static RawWebSocket open(int port, String path) throws IOException {
        return open(port, null, path);
    }

    /** Connects from {@code localAddress} (e.g. 127.0.0.2) and completes the upgrade. */
    static RawWebSocket open(int port, InetAddress localAddress) throws IOException {
        return open(port, localAddress, "/connection/websocket");
    }

    private static RawWebSocket open(int port, InetAddress localAddress, String path) throws IOException {
        Socket s =
                localAddress == null ? new Socket("127.0.0.1", port) : new Socket("127.0.0.1", port, localAddress, 0);
        s.setTcpNoDelay(true);
        RawWebSocket ws = new RawWebSocket(s);
        try {
            ws.handshake(port, path);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return ws;
    }

    private void handshake(int port, String path) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String req = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        socket.setSoTimeout(5000);
        String head = readHead(in);
        socket.setSoTimeout(0);
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head);
        }
    }

    /** Reads an HTTP response head up to the blank line, byte by byte (nothing past it). */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One masked client frame, ready to write (several can be concatenated into one write). */
    static byte[] frame(int opcode, boolean fin, byte[] payload) {
        int len = payload.length;
        int header = len < 126 ? 2 : len <= 0xffff ? 4 : 10;
        byte[] f = new byte[header + 4 + len];
        f[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        if (len < 126) {
            f[1] = (byte) (0x80 | len);
        } else if (len <= 0xffff) {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (len >>> 8);
            f[3] = (byte) len;
        } else {
            f[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) ((long) len >>> (56 - 8 * i));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        System.arraycopy(mask, 0, f, header, 4);
        for (int i = 0; i < len; i++) {
            f[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return f;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(int opcode, boolean fin, byte[] payload) throws IOException {
        write(frame(opcode, fin, payload));
    }

    void sendText(String text) throws IOException {
        send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the next frame, waiting at most {@code wait}; {@code null} at EOF. */
    Frame readFrame(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        if (len > 16 * 1024 * 1024) {
            throw new IOException("frame of " + len + " bytes");
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length < len) {
            return null;
        }
        return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    /**
     * Reads (and drops) frames until the server's Close frame: its code, {@link #NO_CLOSE_FRAME}
     * when the connection ended without one, or {@link #STILL_OPEN} at the deadline.
     */
    int awaitClose(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return STILL_OPEN;
                }
                Frame f = readFrame(Duration.ofNanos(left));
                if (f == null) {
                    return NO_CLOSE_FRAME;
                }
                if (f.opcode() == CLOSE) {
                    return f.closeCode();
                }
            }
        } catch (SocketTimeoutException e) {
            return STILL_OPEN;
        } catch (IOException e) {
            return NO_CLOSE_FRAME;
        }
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
