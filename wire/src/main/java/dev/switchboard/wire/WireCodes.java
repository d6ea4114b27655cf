package dev.switchboard.wire;

/**
 * Codes of the Centrifugo client protocol that both sides act on: the server sends them, SDKs
 * (our Java client included) decide from them whether to reconnect or fetch a new token.
 *
 * <pre>{@code
 * if (!WireCodes.reconnects(closeCode)) {
 *     stop();
 * }
 * }</pre>
 */
public final class WireCodes {

    /** Error 109: the connection or subscription token expired; SDKs fetch a new one and retry. */
    public static final int TOKEN_EXPIRED = 109;

    private WireCodes() {}

    /**
     * Whether SDKs reconnect after the server closed with this code: not after 3500–3999 and
     * 4500–4999 (terminal ranges); yes after anything else, e.g. 3000–3499 and 4000–4499.
     */
    public static boolean reconnects(int closeCode) {
        return !(closeCode >= 3500 && closeCode < 4000 || closeCode >= 4500 && closeCode < 5000);
    }
}
