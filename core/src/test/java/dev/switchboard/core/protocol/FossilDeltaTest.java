package dev.switchboard.core.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FossilDeltaTest {

    private static String document(int version, int fields) {
        StringBuilder sb = new StringBuilder("{\"version\":").append(version);
        for (int i = 0; i < fields; i++) {
            sb.append(",\"field")
                    .append(i)
                    .append("\":\"value-")
                    .append(i)
                    .append(i == 7 ? "-" + version : "")
                    .append('"');
        }
        return sb.append('}').toString();
    }

    @Test
    void aSmallChangeToALargeDocumentIsASmallDeltaThatRestoresItExactly() {
        byte[] v1 = document(1, 200).getBytes(UTF_8);
        byte[] v2 = document(2, 200).getBytes(UTF_8);
        byte[] delta = FossilDelta.create(v1, v2);
        assertThat(FossilDelta.apply(v1, delta)).isEqualTo(v2);
        assertThat(delta.length).as("delta of a %d-byte document", v2.length).isLessThan(v2.length / 20);
    }

    @Test
    void aKnownDeltaHasFossilsExactLayout() {
        // Header "20\n" is 2*64+0 = 128 bytes; copy 128 bytes from offset 0 is "20@0,".
        byte[] source = "a".repeat(128).getBytes(UTF_8);
        byte[] delta = FossilDelta.create(source, source);
        String text = new String(delta, UTF_8);
        assertThat(text).startsWith("20\n20@0,").endsWith(";");
        assertThat(FossilDelta.apply(source, delta)).isEqualTo(source);
    }

    @Test
    void randomSourcesAndEditedTargetsRoundTrip() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            byte[] source = new byte[random.nextInt(3000)];
            random.nextBytes(source);
            byte[] target = edit(source, random);
            byte[] delta = FossilDelta.create(source, target);
            assertThat(FossilDelta.apply(source, delta)).as("round %d", round).isEqualTo(target);
        }
    }

    private static byte[] edit(byte[] source, Random random) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < source.length) {
            int run = 1 + random.nextInt(200);
            int op = random.nextInt(10);
            if (op < 7) {
                out.write(source, i, Math.min(run, source.length - i));
                i += run;
            } else if (op < 9) {
                byte[] fresh = new byte[random.nextInt(40)];
                random.nextBytes(fresh);
                out.writeBytes(fresh);
            } else {
                i += run; // deleted
            }
        }
        return out.toByteArray();
    }

    @Test
    void emptyAndTinyPayloadsAreInsertsOnly() {
        assertThat(FossilDelta.apply(new byte[0], FossilDelta.create(new byte[0], new byte[0])))
                .isEmpty();
        byte[] tiny = "{}".getBytes(UTF_8);
        assertThat(new String(FossilDelta.create("{\"a\":1}".getBytes(UTF_8), tiny), UTF_8))
                .startsWith("2\n2:{}");
    }

    @Test
    void aCorruptedDeltaIsRefused() {
        byte[] v1 = document(1, 50).getBytes(UTF_8);
        byte[] delta = FossilDelta.create(v1, document(2, 50).getBytes(UTF_8));
        byte[] truncated = java.util.Arrays.copyOf(delta, delta.length - 1);
        assertThatThrownBy(() -> FossilDelta.apply(v1, truncated)).isInstanceOf(IllegalArgumentException.class);
        byte[] wrongSource = document(3, 60).getBytes(UTF_8);
        assertThatThrownBy(() -> FossilDelta.apply(wrongSource, delta)).isInstanceOf(IllegalArgumentException.class);
    }
}
