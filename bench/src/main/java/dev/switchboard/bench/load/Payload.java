package dev.switchboard.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The benchmark publication: {@code {"t":<send time, wall-clock micros>,"p":"xxx…"}}, padded so
 * the JSON is exactly the requested size. Receivers find {@code "t":} in the frame without
 * parsing the rest, so measuring costs the load generator as little as possible.
 */
public final class Payload {

    /** Bytes of a payload with no padding ({@code "t"} always has 16 digits until the year 2286). */
    public static final int OVERHEAD = "{\"t\":".length() + 16 + ",\"p\":\"".length() + "\"}".length();

    private static final byte[] HEAD = "{\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MID = ",\"p\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "\"}".getBytes(StandardCharsets.US_ASCII);

    private final byte[] padding;

    public Payload(int size) {
        padding = new byte[Math.max(0, size - OVERHEAD)];
        Arrays.fill(padding, (byte) 'x');
    }

    public int size() {
        return OVERHEAD + padding.length;
    }

    public void write(ByteBuf out, long tMicros) {
        out.writeBytes(HEAD);
        writeFixed16(out, tMicros);
        out.writeBytes(MID);
        out.writeBytes(padding);
        out.writeBytes(TAIL);
    }

    public String toJson(long tMicros) {
        return "{\"t\":" + pad16(tMicros) + ",\"p\":\"" + new String(padding, StandardCharsets.US_ASCII) + "\"}";
    }

    private static String pad16(long v) {
        String s = Long.toString(v);
        return "0".repeat(Math.max(0, 16 - s.length())) + s;
    }

    private static void writeFixed16(ByteBuf out, long v) {
        int at = out.writerIndex();
        out.ensureWritable(16);
        for (int i = 15; i >= 0; i--) {
            out.setByte(at + i, (byte) ('0' + (v % 10)));
            v /= 10;
        }
        out.writerIndex(at + 16);
    }

    /**
     * The {@code t} value of the first {@code "t":} between {@code from} and {@code to}, or -1.
     */
    public static long findT(ByteBuf buf, int from, int to) {
        for (int i = from; i + 4 < to; i++) {
            if (buf.getByte(i) == '"'
                    && buf.getByte(i + 1) == 't'
                    && buf.getByte(i + 2) == '"'
                    && buf.getByte(i + 3) == ':') {
                long v = 0;
                int j = i + 4;
                boolean any = false;
                while (j < to) {
                    byte b = buf.getByte(j);
                    if (b < '0' || b > '9') {
                        break;
                    }
                    v = v * 10 + (b - '0');
                    any = true;
                    j++;
                }
                return any ? v : -1;
            }
        }
        return -1;
    }
}
