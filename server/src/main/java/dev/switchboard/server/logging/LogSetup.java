package dev.switchboard.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ConfigKeys;
import dev.switchboard.transport.config.LogConfig;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets up the application's Logback from the {@code log} section: one console appender on
 * standard error with the text or JSON encoder, the root level, quiet defaults for the libraries
 * and the per-logger levels. Standard error because standard output carries command results
 * ({@code gentoken} prints a token that scripts capture) and the {@code serve} banner.
 *
 * <p>Netty and Lettuce log at {@link #LIBRARY_LEVEL} unless {@code log.levels} says otherwise:
 * at debug they log every buffer and every command, which buries our own debug lines.
 *
 * <pre>{@code
 * LogSetup.apply(config.log());   // after the config is loaded, before the node starts
 * }</pre>
 */
public final class LogSetup {

    /** Name of the one appender; tests find it by this name. */
    public static final String APPENDER = "console";
    /**
     * {@code log.format: text}: UTC time, level, thread, logger, message. Line breaks in a
     * message become spaces so that one event stays one line (a forged line cannot be injected
     * through a value a client chose); a stack trace follows on its own lines.
     */
    public static final String TEXT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{36} - %replace(%msg){'[\\r\\n]+', ' '}%n%ex";
    /** Level of {@link #LIBRARY_LOGGERS} unless {@code log.levels} names them. */
    public static final String LIBRARY_LEVEL = "warn";
    /** Loggers of libraries that are noisy below warn: every buffer, command and reconnect attempt. */
    public static final List<String> LIBRARY_LOGGERS = List.of("io.netty", "io.lettuce", "reactor");

    private LogSetup() {}

    /**
     * Replaces the logging configuration with {@code config}. Does nothing when slf4j is bound to
     * another backend (an embedding application's).
     */
    public static void apply(LogConfig config) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            apply(context, config);
        }
    }

    /** {@link #apply(LogConfig)} on a given context. */
    public static void apply(LoggerContext context, LogConfig config) {
        context.reset();
        Encoder<ILoggingEvent> encoder = encoder(context, config.format());
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(APPENDER);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        root.setLevel(level(config.level()));
        for (Map.Entry<String, String> e : levels(config).entrySet()) {
            context.getLogger(e.getKey()).setLevel(level(e.getValue()));
        }
    }

    /**
     * The configuration the environment asks for, read before any config file so that the first
     * lines of a process already have the right format: {@code SWITCHBOARD_LOG_LEVEL} and
     * {@code SWITCHBOARD_LOG_FORMAT}. A bad value is left for the config loader to report; the
     * default is used meanwhile.
     */
    public static LogConfig fromEnvironment(Map<String, String> env) {
        LogConfig.Builder b = LogConfig.builder();
        set(() -> b.level(env.get(LEVEL_VARIABLE)), env.get(LEVEL_VARIABLE));
        set(() -> b.format(env.get(FORMAT_VARIABLE)), env.get(FORMAT_VARIABLE));
        return b.build();
    }

    /** The environment variable of {@code log.level}. */
    static final String LEVEL_VARIABLE = variable("log.level");
    /** The environment variable of {@code log.format}. */
    static final String FORMAT_VARIABLE = variable("log.format");

    private static String variable(String key) {
        return ConfigKeys.byPath(key).orElseThrow().env();
    }

    private static void set(Runnable setter, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            setter.run();
        } catch (ConfigException e) {
            // reported by the config loader, naming the variable
        }
    }

    /** The library defaults, then {@code log.levels} over them. */
    static Map<String, String> levels(LogConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        LIBRARY_LOGGERS.forEach(l -> out.put(l, LIBRARY_LEVEL));
        out.putAll(config.levels());
        return out;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        if (format.equals("json")) {
            JsonLineEncoder json = new JsonLineEncoder();
            json.setContext(context);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.setCharset(StandardCharsets.UTF_8);
        text.start();
        return text;
    }

    private static Level level(String name) {
        return Level.toLevel(name, Level.INFO);
    }
}
