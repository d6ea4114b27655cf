package dev.switchboard.bench.proc;

import dev.switchboard.bench.BenchContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A private {@code redis-server} on loopback, without persistence. */
public final class RedisServer implements AutoCloseable {

    private final Managed process;
    private final int port;

    private RedisServer(Managed process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start(BenchContext ctx, String scenario, String name, long maxSeconds)
            throws IOException {
        int port = BenchContext.freePort();
        String bin = System.getenv().getOrDefault("REDIS_SERVER", "redis-server");
        Managed m = Managed.start(
                name,
                List.of(
                        bin,
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--protected-mode",
                        "no",
                        "--maxclients",
                        "10000",
                        "--client-output-buffer-limit",
                        "pubsub",
                        "256mb",
                        "128mb",
                        "60"),
                Map.of(),
                ctx.runDir(),
                ctx.logs(scenario).resolve(name + ".log"),
                maxSeconds,
                false,
                ctx.pinning().load());
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (ping(port)) {
                return new RedisServer(m, port);
            }
            if (!m.isAlive()) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        m.close();
        throw new IOException("redis-server did not start (see " + m.log() + ")");
    }

    static boolean ping(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            OutputStream o = s.getOutputStream();
            o.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[16];
            int n = in.read(b);
            return n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public Managed process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(3000);
    }
}
