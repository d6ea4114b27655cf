package dev.switchboard.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket, writing exactly the bytes a test chooses (partial
 * headers, pipelined requests, unfinished bodies) and reading responses one by one, for tests of
 * how the node treats hostile peers.
 */
public final class RawHttpConnection implements AutoCloseable {

    /** A response: status, headers by lower-case name, body as text. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects from the default source address. */
    public static RawHttpConnection open(int port) throws IOException {
        return new RawHttpConnection(new Socket("127.0.0.1", port));
    }

    /** Connects from a chosen loopback source address, such as {@code 127.0.0.2}. */
    public static RawHttpConnection openFrom(String sourceIp, int port) throws IOException {
        return new RawHttpConnection(
                new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(sourceIp), 0));
    }

    /** Connects with a small receive buffer, so that responses not read fill up quickly. */
    public static RawHttpConnection openWithReceiveBuffer(int port, int bytes) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(bytes);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        return new RawHttpConnection(s);
    }

    /** A {@code GET} with a Host header. */
    public static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    /** A {@code POST} of a JSON body to the server API, with the test API key. */
    public static String apiPost(String method, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "POST /api/" + method + " HTTP/1.1\r\nHost: test\r\nX-API-Key: " + TestServers.API_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json;
    }

    public RawHttpConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttpConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response (its body sized by {@code Content-Length}) within {@code wait}. */
    public Response read(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(
                    h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(
                Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Waits until the node closes the connection, discarding what it sends.
     *
     * @return whether it closed within {@code wait}
     */
    public boolean awaitClosed(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buf = new byte[8192];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the node
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
