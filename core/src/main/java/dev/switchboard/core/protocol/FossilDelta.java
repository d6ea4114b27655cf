package dev.switchboard.core.protocol;

import java.io.ByteArrayOutputStream;

/**
 * Fossil's delta format, the one {@code delta: "fossil"} subscribers decode (centrifuge-js,
 * centrifuge-java, centrifuge-swift and -dart all carry an applier): a header with the target's
 * length, then "copy {@code n} bytes from the source at {@code o}" and "insert these {@code n}
 * bytes" commands, then a checksum of the target. Numbers are written in a 64-digit alphabet, most
 * significant digit first.
 *
 * <p>{@link #create} finds copies with a rolling hash over {@link #BLOCK}-byte windows of the
 * source, extended forwards and backwards byte by byte; a target sharing nothing with its source
 * costs its own length plus a few bytes, so callers send the full payload when the delta is not
 * smaller. {@link #apply} is the decoder, for tests and for our own clients.
 *
 * <pre>{@code
 * byte[] patch = FossilDelta.create(previous, next);
 * byte[] again = FossilDelta.apply(previous, patch); // equals next
 * }</pre>
 */
public final class FossilDelta {

    /** Window of the rolling hash: copies shorter than this are not looked for. */
    static final int BLOCK = 16;
    /** Candidate source blocks tried per target position, so a repetitive source stays linear. */
    private static final int MAX_CANDIDATES = 64;

    private static final byte[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < DIGITS.length; i++) {
            VALUES[DIGITS[i]] = i;
        }
    }

    private FossilDelta() {}

    /** The delta that turns {@code source} into {@code target}. */
    public static byte[] create(byte[] source, byte[] target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(target.length, 1024) + 32);
        putInt(out, target.length);
        out.write('\n');
        int base = 0;
        if (source.length >= BLOCK && target.length >= BLOCK) {
            Index index = new Index(source);
            int i = 0;
            int hash = Index.hash(target, 0);
            while (base + i + BLOCK <= target.length) {
                int at = base + i;
                int bestSrc = -1;
                int bestBack = 0;
                int bestLen = 0;
                int tried = 0;
                for (int s = index.first(hash); s >= 0 && tried < MAX_CANDIDATES; s = index.next(s), tried++) {
                    int src = s * BLOCK;
                    int fwd = 0;
                    while (src + fwd < source.length
                            && at + fwd < target.length
                            && source[src + fwd] == target[at + fwd]) {
                        fwd++;
                    }
                    if (fwd < BLOCK) {
                        continue; // a hash collision
                    }
                    int back = 0;
                    while (back < i && back < src && source[src - back - 1] == target[at - back - 1]) {
                        back++;
                    }
                    if (fwd + back > bestLen) {
                        bestLen = fwd + back;
                        bestBack = back;
                        bestSrc = src - back;
                    }
                }
                if (bestSrc >= 0) {
                    int literal = i - bestBack;
                    if (literal > 0) {
                        insert(out, target, base, literal);
                    }
                    putInt(out, bestLen);
                    out.write('@');
                    putInt(out, bestSrc);
                    out.write(',');
                    base = at - bestBack + bestLen;
                    i = 0;
                    if (base + BLOCK <= target.length) {
                        hash = Index.hash(target, base);
                    }
                    continue;
                }
                if (at + BLOCK < target.length) {
                    hash = Index.roll(hash, target[at], target[at + BLOCK]);
                }
                i++;
            }
        }
        if (base < target.length) {
            insert(out, target, base, target.length - base);
        }
        putInt(out, checksum(target) & 0xffffffffL);
        out.write(';');
        return out.toByteArray();
    }

    /**
     * The target a delta describes.
     *
     * @throws IllegalArgumentException when the delta is malformed or does not fit the source
     */
    public static byte[] apply(byte[] source, byte[] delta) {
        int[] pos = {0};
        long limit = getInt(delta, pos);
        if (pos[0] >= delta.length || delta[pos[0]++] != '\n') {
            throw new IllegalArgumentException("size not terminated by a newline");
        }
        if (limit > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("target too large");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, 1 << 20));
        while (pos[0] < delta.length) {
            long count = getInt(delta, pos);
            if (pos[0] >= delta.length) {
                break;
            }
            switch (delta[pos[0]++]) {
                case '@' -> {
                    long offset = getInt(delta, pos);
                    if (pos[0] < delta.length && delta[pos[0]++] != ',') {
                        throw new IllegalArgumentException("copy not terminated by a comma");
                    }
                    if (out.size() + count > limit || offset + count > source.length) {
                        throw new IllegalArgumentException("copy out of bounds");
                    }
                    out.write(source, (int) offset, (int) count);
                }
                case ':' -> {
                    if (out.size() + count > limit || pos[0] + count > delta.length) {
                        throw new IllegalArgumentException("insert out of bounds");
                    }
                    out.write(delta, pos[0], (int) count);
                    pos[0] += (int) count;
                }
                case ';' -> {
                    byte[] target = out.toByteArray();
                    if (target.length != limit) {
                        throw new IllegalArgumentException("target length differs from the header");
                    }
                    if ((checksum(target) & 0xffffffffL) != count) {
                        throw new IllegalArgumentException("bad checksum");
                    }
                    return target;
                }
                default -> throw new IllegalArgumentException("unknown delta command");
            }
        }
        throw new IllegalArgumentException("unterminated delta");
    }

    private static void insert(ByteArrayOutputStream out, byte[] target, int from, int length) {
        putInt(out, length);
        out.write(':');
        out.write(target, from, length);
    }

    private static void putInt(ByteArrayOutputStream out, long v) {
        if (v == 0) {
            out.write('0');
            return;
        }
        byte[] buf = new byte[12];
        int n = 0;
        while (v > 0) {
            buf[n++] = DIGITS[(int) (v & 63)];
            v >>>= 6;
        }
        while (n > 0) {
            out.write(buf[--n]);
        }
    }

    private static long getInt(byte[] delta, int[] pos) {
        long v = 0;
        int digits = 0;
        while (pos[0] < delta.length) {
            int c = delta[pos[0]] & 0x7f;
            int d = VALUES[c];
            if (d < 0 || delta[pos[0]] < 0) {
                break;
            }
            if (++digits > 10) {
                throw new IllegalArgumentException("number too long");
            }
            v = (v << 6) + d;
            pos[0]++;
        }
        return v;
    }

    /** Fossil's checksum: four running byte sums folded big-endian, the tail bytes added at the top. */
    static int checksum(byte[] a) {
        int s0 = 0;
        int s1 = 0;
        int s2 = 0;
        int s3 = 0;
        int z = 0;
        int n = a.length;
        while (n >= 4) {
            s0 += a[z] & 0xff;
            s1 += a[z + 1] & 0xff;
            s2 += a[z + 2] & 0xff;
            s3 += a[z + 3] & 0xff;
            z += 4;
            n -= 4;
        }
        s3 += (s2 << 8) + (s1 << 16) + (s0 << 24);
        switch (n) {
            case 3 -> s3 += ((a[z + 2] & 0xff) << 8) + ((a[z + 1] & 0xff) << 16) + ((a[z] & 0xff) << 24);
            case 2 -> s3 += ((a[z + 1] & 0xff) << 16) + ((a[z] & 0xff) << 24);
            case 1 -> s3 += (a[z] & 0xff) << 24;
            default -> {}
        }
        return s3;
    }

    /** The source's {@link #BLOCK}-byte blocks by hash, each hash's blocks in a chain. */
    private static final class Index {
        private final int[] heads;
        private final int[] chain;
        private final int mask;

        Index(byte[] source) {
            int blocks = source.length / BLOCK;
            int size = Integer.highestOneBit(Math.max(blocks, 1) * 2 - 1) << 1;
            heads = new int[size];
            java.util.Arrays.fill(heads, -1);
            chain = new int[blocks];
            mask = size - 1;
            // Later blocks first in each chain, as they are pushed in order: either is correct.
            for (int b = 0; b < blocks; b++) {
                int h = hash(source, b * BLOCK) & mask;
                chain[b] = heads[h];
                heads[h] = b;
            }
        }

        int first(int hash) {
            return heads[hash & mask];
        }

        int next(int block) {
            return chain[block];
        }

        /** An Adler-style hash of the window at {@code from}: low half the byte sum, high half the weighted sum. */
        static int hash(byte[] a, int from) {
            int s = 0;
            int w = 0;
            for (int k = 0; k < BLOCK; k++) {
                int b = a[from + k] & 0xff;
                s += b;
                w += (BLOCK - k) * b;
            }
            return (s & 0xffff) | (w << 16);
        }

        /** The hash of the window one byte later: {@code out} leaves, {@code in} enters. */
        static int roll(int hash, byte out, byte in) {
            int s = hash & 0xffff;
            int w = hash >>> 16;
            int o = out & 0xff;
            s = (s - o + (in & 0xff)) & 0xffff;
            w = (w - BLOCK * o + s) & 0xffff;
            return s | (w << 16);
        }
    }
}
