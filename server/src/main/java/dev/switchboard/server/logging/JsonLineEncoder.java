package dev.switchboard.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * {@code log.format: json}: one JSON object per line, with {@code time} (UTC, ISO-8601, milliseconds),
 * {@code level}, {@code logger}, {@code thread}, {@code message}, {@code exception} (the stack trace
 * as one string, only when there is one) and {@code mdc} (only when set).
 *
 * <p>Ours rather than Logback's {@code JsonEncoder}, whose objects carry a sequence number, split
 * timestamps and the whole logger context on every line and name fields unlike log collectors
 * expect. Jackson writes the strings, so a message holding quotes, newlines or control characters
 * stays one valid line.
 *
 * <pre>{@code
 * {"time":"2026-12-01T20:30:00.123Z","level":"INFO","logger":"dev.switchboard.transport.SwitchboardServer","thread":"main","message":"listening on 8000"}
 * }</pre>
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NEWLINE = {'\n'};
    /** Bytes a typical line takes, so most lines need no buffer growth. */
    private static final int TYPICAL_LINE = 256;

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(TYPICAL_LINE);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time(event.getInstant()));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null && !mdc.isEmpty()) {
                g.writeObjectFieldStart("mdc");
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        out.writeBytes(NEWLINE);
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
