package dev.switchboard.server.abuse;

import dev.switchboard.server.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of hostile input: client protocol commands and server API bodies that start
 * from valid shapes and are then mutated (wrong types, huge numbers, deep nesting, duplicate
 * keys, unknown methods, truncation, random bytes and unicode, newline batches). Same seed, same
 * cases.
 */
final class FuzzCases {

    /** Client protocol methods and their fields. */
    private static final String[][] COMMANDS = {
        {"connect", "token", "data", "name", "version", "subs"},
        {
            "subscribe",
            "channel",
            "recover",
            "epoch",
            "offset",
            "token",
            "positioned",
            "recoverable",
            "join_leave",
            "data"
        },
        {"unsubscribe", "channel"},
        {"publish", "channel", "data"},
        {"presence", "channel"},
        {"presence_stats", "channel"},
        {"history", "channel", "limit", "since", "reverse"},
        {"rpc", "method", "data"},
        {"send", "data"},
        {"refresh", "token"},
        {"sub_refresh", "channel", "token"},
    };
    /** Server API methods and their fields. */
    private static final String[][] API = {
        {"publish", "channel", "data", "idempotency_key", "tags", "skip_history", "b64data"},
        {"broadcast", "channels", "data", "idempotency_key"},
        {"subscribe", "user", "channel", "client", "info"},
        {"unsubscribe", "user", "channel", "client"},
        {"disconnect", "user", "client", "disconnect"},
        {"presence", "channel"},
        {"presence_stats", "channel"},
        {"history", "channel", "limit", "since", "reverse"},
        {"history_remove", "channel"},
        {"channels", "pattern"},
        {"info"},
        {"refresh", "user", "client", "expired", "expire_at"},
        {"invoke", "client", "user", "routing_key", "method", "data", "timeout"},
        {"connection", "client"},
        {"connections", "user", "routing_key"},
        {"batch", "commands", "parallel"},
        {"no_such_method"},
    };

    private static final List<String> CHANNELS = List.of(
            "fuzz",
            "fuzz:a",
            "small:b",
            "private:c",
            "dm:#1,2",
            "nowhere:x",
            "",
            "a".repeat(300),
            "sp ace",
            "fuzz\u0000nul",
            "ümlaut",
            "*",
            "fuzz#",
            "$rpc");

    private final Random r;
    private long nextId = 100;

    FuzzCases(long seed) {
        this.r = new Random(seed);
    }

    Random random() {
        return r;
    }

    long nextSyncId() {
        return nextId++;
    }

    /** One WebSocket text payload: a command or a batch of them, possibly mutated at the byte level. */
    byte[] frame() {
        int lines = r.nextInt(10) == 0 ? 2 + r.nextInt(4) : 1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append(i == 0 ? "" : "\n").append(command());
        }
        return mutateBytes(sb.toString());
    }

    private String command() {
        switch (r.nextInt(20)) {
            case 0:
                return "{}";
            case 1:
                return value(0);
            default:
                break;
        }
        String[] m = COMMANDS[r.nextInt(COMMANDS.length)];
        StringBuilder sb = new StringBuilder("{");
        String id = r.nextInt(6) == 0 ? weirdNumberOrValue() : String.valueOf(nextId++);
        if (r.nextInt(15) != 0) {
            sb.append("\"id\":").append(id).append(',');
        }
        String method = r.nextInt(25) == 0 ? randomKey() : m[0];
        sb.append('"').append(method).append("\":").append(r.nextInt(12) == 0 ? value(0) : params(m));
        if (r.nextInt(12) == 0) {
            String[] other = COMMANDS[r.nextInt(COMMANDS.length)];
            sb.append(",\"")
                    .append(r.nextBoolean() ? m[0] : other[0])
                    .append("\":")
                    .append(params(other));
        }
        if (r.nextInt(15) == 0) {
            sb.append(",\"id\":").append(weirdNumberOrValue());
        }
        return sb.append('}').toString();
    }

    /** A params object for a method: its fields with good values, some replaced by anything. */
    private String params(String[] m) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (int i = 1; i < m.length; i++) {
            if (r.nextInt(3) == 0) {
                continue;
            }
            sb.append(first ? "" : ",")
                    .append('"')
                    .append(m[i])
                    .append("\":")
                    .append(r.nextInt(4) == 0 ? value(0) : good(m[i]));
            first = false;
        }
        if (r.nextInt(10) == 0) {
            sb.append(first ? "" : ",")
                    .append('"')
                    .append(randomKey())
                    .append("\":")
                    .append(value(0));
        }
        return sb.append('}').toString();
    }

    private String good(String field) {
        switch (field) {
            case "channel":
                return quote(CHANNELS.get(r.nextInt(CHANNELS.size())));
            case "channels":
                return "[" + quote(CHANNELS.get(r.nextInt(CHANNELS.size()))) + "]";
            case "token":
                return quote(r.nextBoolean() ? TestServers.token("fuzzer") : "x.y.z");
            case "limit":
            case "offset":
            case "timeout":
                return String.valueOf(r.nextInt(200) - 100);
            case "pattern":
                return quote(r.nextBoolean() ? "fuzz*" : stars());
            case "commands":
                return "[{\"" + API[r.nextInt(API.length)][0] + "\":{\"channel\":\"fuzz\"}}]";
            case "user":
            case "client":
            case "routing_key":
                return quote("nobody-" + r.nextInt(100));
            default:
                return value(1);
        }
    }

    private String stars() {
        return "*".repeat(1 + r.nextInt(30)) + (char) ('a' + r.nextInt(26));
    }

    /** Any JSON value, sometimes a nasty one. */
    String value(int depth) {
        int k = r.nextInt(depth > 3 ? 8 : 12);
        switch (k) {
            case 0:
                return quote(randomString());
            case 1:
                return weirdNumberOrValue();
            case 2:
                return String.valueOf(r.nextInt());
            case 3:
                return r.nextBoolean() ? "true" : "false";
            case 4:
                return "null";
            case 5:
                return quote("x".repeat(r.nextInt(20_000)));
            case 6:
                return "{\"n\":" + r.nextInt(1000) + "}";
            case 7:
                return quote(randomUnicode());
            case 8: {
                StringBuilder sb = new StringBuilder("[");
                for (int i = r.nextInt(4); i > 0; i--) {
                    sb.append(value(depth + 1)).append(i > 1 ? "," : "");
                }
                return sb.append(']').toString();
            }
            case 9: {
                StringBuilder sb = new StringBuilder("{");
                for (int i = r.nextInt(4); i > 0; i--) {
                    sb.append(quote(randomKey()))
                            .append(':')
                            .append(value(depth + 1))
                            .append(i > 1 ? "," : "");
                }
                return sb.append('}').toString();
            }
            case 10: {
                int n = 100 + r.nextInt(5000);
                boolean arrays = r.nextBoolean();
                return (arrays ? "[" : "{\"a\":").repeat(n) + "1" + (arrays ? "]" : "}").repeat(n);
            }
            default:
                return "{\"k\":\"v\",\"k\":" + r.nextInt(10) + "}";
        }
    }

    private String weirdNumberOrValue() {
        String[] weird = {
            "0",
            "-1",
            "1.5",
            "1e300",
            "1e400",
            "-1e400",
            "4294967296",
            "4294967295",
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "1E2",
            "0.0",
            "-0",
            "\"7\"",
            "[]",
            "{}",
            "null",
            "true",
            "1" + "0".repeat(400)
        };
        return weird[r.nextInt(weird.length)];
    }

    private String randomKey() {
        String[] keys = {"id", "data", "channel", "", "__proto__", "constructor", "connect", "x", "\u00e9", "method"};
        return keys[r.nextInt(keys.length)];
    }

    private String randomString() {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(40); i > 0; i--) {
            sb.append((char) (0x20 + r.nextInt(0x5f)));
        }
        return sb.toString();
    }

    private String randomUnicode() {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(20); i > 0; i--) {
            int cp = switch (r.nextInt(4)) {
                case 0 -> 0x80 + r.nextInt(0x780);
                case 1 -> 0x800 + r.nextInt(0xd000);
                case 2 -> 0x10000 + r.nextInt(0x10000);
                default -> r.nextInt(0x20);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** The UTF-8 bytes of {@code s}, sometimes truncated, with a byte flipped, or random bytes spliced in. */
    private byte[] mutateBytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        switch (r.nextInt(12)) {
            case 0:
                return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 1: {
                if (b.length > 0) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 2: {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int at = r.nextInt(b.length + 1);
                out.write(b, 0, at);
                byte[] junk = new byte[1 + r.nextInt(16)];
                r.nextBytes(junk);
                out.writeBytes(junk);
                out.write(b, at, b.length - at);
                return out.toByteArray();
            }
            case 3: {
                byte[] junk = new byte[r.nextInt(200)];
                r.nextBytes(junk);
                return junk;
            }
            default:
                return b;
        }
    }

    /** A server API method name (a known one, mostly). */
    String[] apiMethod() {
        return API[r.nextInt(API.length)];
    }

    /** A body for an API method: its params, mutated; sometimes not JSON at all. */
    byte[] apiBody(String[] method) {
        String body = switch (r.nextInt(14)) {
            case 0 -> value(0);
            case 1 -> "";
            default -> params(method);
        };
        return mutateBytes(body);
    }
}
