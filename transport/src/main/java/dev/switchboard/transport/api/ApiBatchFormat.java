package dev.switchboard.transport.api;

import dev.switchboard.core.protocol.ProtocolError;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the replies of a batch are written: the object of {@code POST /api/batch}, or the lines of
 * {@code POST /api} (Centrifugo's first API form, which cent.js's {@code pipeline()} and older
 * server API clients send).
 */
enum ApiBatchFormat {
    /** {@code {"replies":[{"publish":{...}},{"error":{...}}]}}. */
    REPLIES("{\"replies\":[", ",", "]}") {
        @Override
        byte[] error(ApiBatch.Command c, ProtocolError e) {
            return ApiJson.encodeError(e);
        }
    },
    /**
     * One line per command, in order, joined by {@code \n} with none after the last (cent.js splits
     * the body on newlines and parses every part): {@code {"id":1,"result":{...}}} or
     * {@code {"id":1,"error":{...}}}, {@code id} only when the command had one, as Centrifugo's
     * {@code /api} answers.
     */
    LINES("", "\n", "") {
        @Override
        byte[] error(ApiBatch.Command c, ProtocolError e) {
            return ApiJson.encode(g -> {
                if (c.id() > 0) {
                    g.writeNumberField("id", c.id());
                }
                ApiJson.writeError(g, e);
            });
        }
    };

    private static final Logger log = LoggerFactory.getLogger(ApiBatchFormat.class);

    private final byte[] open;
    private final byte[] separator;
    private final byte[] close;

    ApiBatchFormat(String open, String separator, String close) {
        this.open = open.getBytes(StandardCharsets.US_ASCII);
        this.separator = separator.getBytes(StandardCharsets.US_ASCII);
        this.close = close.getBytes(StandardCharsets.US_ASCII);
    }

    /** The reply to one command that ran. */
    byte[] reply(ApiBatch.Command c, ApiOutcome o) {
        if (o.error() != null) {
            return error(c, o.error());
        }
        // A batch reply is keyed by the method name; a line holds "result", as a single call does.
        boolean line = this == LINES;
        try {
            return ApiJson.encode(g -> {
                if (line && c.id() > 0) {
                    g.writeNumberField("id", c.id());
                }
                g.writeObjectFieldStart(line ? "result" : c.name());
                o.result().write(g);
                g.writeEndObject();
            });
        } catch (RuntimeException e) {
            log.error("server API batch reply encoding failed", e);
            return error(c, ProtocolError.INTERNAL);
        }
    }

    /** The reply to one command that failed or did not run. */
    abstract byte[] error(ApiBatch.Command c, ProtocolError e);

    /** The whole body: the replies, in order, between the format's brackets. */
    byte[] join(byte[][] replies) {
        int size = open.length + close.length + Math.max(0, replies.length - 1) * separator.length;
        for (byte[] r : replies) {
            size += r.length;
        }
        byte[] out = new byte[size];
        int at = put(out, 0, open);
        for (int i = 0; i < replies.length; i++) {
            if (i > 0) {
                at = put(out, at, separator);
            }
            at = put(out, at, replies[i]);
            replies[i] = null;
        }
        put(out, at, close);
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }
}
