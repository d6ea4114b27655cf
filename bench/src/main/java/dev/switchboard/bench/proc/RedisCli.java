package dev.switchboard.bench.proc;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Redis command on a fresh loopback connection, for reading {@code INFO} and {@code CLUSTER}
 * state while the system under test runs (no client library: the bench must not share the
 * nodes' Lettuce settings). Replies: simple and bulk strings as {@link String}, integers as
 * {@link Long}, arrays as {@link List}; an error reply throws.
 */
public final class RedisCli {

    private RedisCli() {}

    public static Object command(int port, String... args) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            StringBuilder sb =
                    new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            o.flush();
            return read(new BufferedInputStream(s.getInputStream()));
        }
    }

    /** {@code INFO <section>} as field to value (section headers and blank lines dropped). */
    public static Map<String, String> info(int port, String section) throws IOException {
        return fields((String) command(port, "INFO", section));
    }

    static Map<String, String> fields(String info) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int c = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || c < 0) {
                continue;
            }
            m.put(line.substring(0, c), line.substring(c + 1).trim());
        }
        return m;
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IOException("redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                in.readNBytes(2);
                return new String(b, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(read(in));
                }
                return l;
            }
            default:
                throw new IOException("unexpected reply type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
