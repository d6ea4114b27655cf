package dev.switchboard.bench.load;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Histograms in microseconds, and their transport between processes (compressed, base64). */
public final class Histograms {

    /** Highest value tracked: one hour in microseconds. */
    public static final long HIGHEST = 3_600_000_000L;

    public static final int DIGITS = 3;

    private Histograms() {}

    public static Recorder recorder() {
        return new Recorder(HIGHEST, DIGITS);
    }

    public static Histogram empty() {
        return new Histogram(HIGHEST, DIGITS);
    }

    public static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    public static Histogram decode(String b64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(b64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("bad histogram", e);
        }
    }
}
