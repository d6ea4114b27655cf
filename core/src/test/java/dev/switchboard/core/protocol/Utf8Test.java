package dev.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void wellFormedTextIsValid() {
        assertThat(Utf8.isValid("{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(Utf8.isValid("é → 😀".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Utf8.isValid(new byte[0])).isTrue();
    }

    @Test
    void overlongFormsEncodedSurrogatesAndOutOfRangeCodePointsAreInvalid() {
        assertThat(Utf8.isValid(bytes('"', 0xC0, 0xAF, '"'))).as("overlong '/'").isFalse();
        assertThat(Utf8.isValid(bytes('"', 0xE0, 0x80, 0xAF, '"')))
                .as("3-byte overlong")
                .isFalse();
        assertThat(Utf8.isValid(bytes('"', 0xED, 0xA0, 0x80, '"')))
                .as("CESU surrogate")
                .isFalse();
        assertThat(Utf8.isValid(bytes(0xF4, 0x90, 0x80, 0x80)))
                .as("above U+10FFFF")
                .isFalse();
        assertThat(Utf8.isValid(bytes('a', 0xC3))).as("truncated").isFalse();
        assertThat(Utf8.isValid(bytes(0xFF))).isFalse();
    }
}
