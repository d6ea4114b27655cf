package dev.switchboard.server.abuse;

import dev.switchboard.server.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** HTTP at the byte level: API calls with bodies that are not valid UTF-8, and responses read off raw sockets. */
final class RawHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** A response: status (-1: none within the timeout, see {@code error}), body bytes read (at most the cap). */
    record Response(int status, byte[] body, long bodyBytes, boolean truncated, long millis, String error) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String t = text();
            return "HTTP " + status + " after " + millis + " ms, " + bodyBytes + " body bytes"
                    + (truncated ? " (cut at the cap)" : "") + (error == null ? "" : ", " + error) + ": "
                    + (t.length() > 300 ? t.substring(0, 300) + "…" : t);
        }
    }

    private RawHttp() {}

    /** POST /api/{method} with the API key and these exact body bytes; reads at most {@code maxBody} bytes. */
    static Response api(HostileNode node, String method, byte[] body, Duration timeout, long maxBody) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<InputStream> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(node.apiUrl() + "/" + method))
                            .timeout(timeout)
                            .header("X-API-Key", TestServers.API_KEY)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            ByteArrayOutputStream keep = new ByteArrayOutputStream();
            long total = 0;
            boolean truncated = false;
            try (InputStream in = r.body()) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total > maxBody) {
                        truncated = true;
                        break;
                    }
                    keep.write(buf, 0, n);
                }
            }
            return new Response(r.statusCode(), keep.toByteArray(), total, truncated, ms(t0), null);
        } catch (IOException e) {
            return new Response(-1, new byte[0], 0, false, ms(t0), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, new byte[0], 0, false, ms(t0), "interrupted");
        }
    }

    static Response api(HostileNode node, String method, String json, Duration timeout) {
        return api(node, method, json.getBytes(StandardCharsets.UTF_8), timeout, 1 << 20);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** A plain TCP connection to the node from a chosen loopback source address ({@code null}: 127.0.0.1). */
    static Socket connect(HostileNode node, InetAddress from) throws IOException {
        Socket s = from == null ? new Socket("127.0.0.1", node.port()) : new Socket("127.0.0.1", node.port(), from, 0);
        s.setTcpNoDelay(true);
        return s;
    }

    /** Reads one response (head and a Content-Length body) off a raw socket: the status, -1 on EOF. */
    static int readStatus(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        InputStream in = s.getInputStream();
        String head;
        try {
            head = RawWebSocket.readHead(in);
        } catch (java.io.EOFException e) {
            return -1;
        }
        int len = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                len = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(len);
        return Integer.parseInt(head.substring(9, 12));
    }
}
