package dev.switchboard.core.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 validation: overlong forms ({@code C0 AF}), encoded surrogates
 * ({@code ED A0 80}, CESU-8) and code points above U+10FFFF are invalid.
 *
 * <p>JSON parsers accept some of these, and a WebSocket client must close a text frame that
 * holds them (RFC 6455 §8.1), so a payload carrying them would be stored and then break every
 * subscriber that receives it.
 *
 * <pre>{@code
 * if (!Utf8.isValid(body)) {
 *     throw new BadRequestException("body is not valid UTF-8");
 * }
 * }</pre>
 */
public final class Utf8 {

    private Utf8() {}

    /** True when every byte of {@code b} belongs to a well-formed UTF-8 sequence. */
    public static boolean isValid(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return isValidStrict(b);
            }
        }
        return true;
    }

    private static boolean isValidStrict(byte[] b) {
        try {
            // The JDK decoder is strict (overlong forms and surrogates are malformed input).
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
