package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.LogConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code log} section into Logback: keys, levels, the text and JSON encoders. */
class LogSetupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theLogSectionBindsFromTheFileAndTheEnvironment() {
        LogConfig log = ConfigLoader.loadYaml(
                        "log:\n  level: DEBUG\n  format: json\n  levels: {dev.switchboard.redis: trace, io.netty: info}\n",
                        "test",
                        Map.of())
                .log();
        assertThat(log.level()).isEqualTo("debug");
        assertThat(log.format()).isEqualTo("json");
        assertThat(log.levels())
                .containsExactly(Map.entry("dev.switchboard.redis", "trace"), Map.entry("io.netty", "info"));

        LogConfig fromEnv = ConfigLoader.loadYaml(
                        "",
                        "test",
                        Map.of(
                                "SWITCHBOARD_LOG_LEVEL", "warn",
                                "SWITCHBOARD_LOG_FORMAT", "json",
                                "SWITCHBOARD_LOG_LEVELS", "io.lettuce: debug, dev.switchboard: trace"))
                .log();
        assertThat(fromEnv.level()).isEqualTo("warn");
        assertThat(fromEnv.format()).isEqualTo("json");
        assertThat(fromEnv.levels()).containsEntry("io.lettuce", "debug").containsEntry("dev.switchboard", "trace");

        assertThat(ConfigLoader.loadYaml("", "test", Map.of()).log()).isEqualTo(LogConfig.defaults());
    }

    @Test
    void aBadLevelOrFormatNamesItsKeyOrVariable() {
        assertThatThrownBy(() -> ConfigLoader.loadYaml("log:\n  level: verbose\n", "test", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("log.level: must be one of trace, debug, info, warn, error, off");
        assertThatThrownBy(() -> ConfigLoader.loadYaml("", "test", Map.of("SWITCHBOARD_LOG_FORMAT", "xml")))
                .hasMessageContaining("log.format")
                .hasMessageContaining("SWITCHBOARD_LOG_FORMAT");
        assertThatThrownBy(() -> ConfigLoader.loadYaml("log:\n  levels: {io.netty: loud}\n", "test", Map.of()))
                .hasMessageStartingWith("log.levels.io.netty: must be one of");
    }

    @Test
    void levelsGoToTheRootTheLibrariesAndTheNamedLoggers() {
        LoggerContext context = newContext();
        LogSetup.apply(
                context,
                LogConfig.builder()
                        .level("debug")
                        .levels(List.of("io.lettuce: info", "dev.switchboard.redis: trace"))
                        .build());
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("dev.switchboard.core.node.Node").getEffectiveLevel())
                .isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("io.netty.channel.nio.NioEventLoop").getEffectiveLevel())
                .as("netty stays quiet by default")
                .isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.lettuce.core.RedisClient").getEffectiveLevel())
                .as("log.levels wins over the library default")
                .isEqualTo(Level.INFO);
        assertThat(context.getLogger("dev.switchboard.redis.RedisBroker").getEffectiveLevel())
                .isEqualTo(Level.TRACE);

        // Applying again replaces, never adds: one appender, old levels gone.
        LogSetup.apply(context, LogConfig.defaults());
        assertThat(context.getLogger("dev.switchboard.redis").getLevel()).isNull();
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders())
                .toIterable()
                .hasSize(1);
    }

    @Test
    void jsonLinesParseWithEveryFieldAndEscapedMessages() throws Exception {
        LoggerContext context = newContext();
        LogSetup.apply(context, LogConfig.builder().format("json").build());
        String out = capture(context, log -> {
            log.info("a \"quoted\"\nmulti-line message with \\ and \u0001 in it");
            log.warn("failed", new IllegalStateException("boom"));
        });
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("logger").asText()).isEqualTo("test.logger");
        assertThat(first.path("thread").asText())
                .isEqualTo(Thread.currentThread().getName());
        assertThat(first.path("message").asText())
                .isEqualTo("a \"quoted\"\nmulti-line message with \\ and \u0001 in it");
        assertThat(first.has("exception")).isFalse();
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.path("level").asText()).isEqualTo("WARN");
        assertThat(second.path("exception").asText())
                .startsWith("java.lang.IllegalStateException: boom")
                .contains("at dev.switchboard.server.logging.LogSetupTest");
    }

    @Test
    void textIsOneLinePerEventWhateverTheMessageHolds() {
        LoggerContext context = newContext();
        LogSetup.apply(context, LogConfig.defaults());
        String out = capture(context, log -> log.info("first\nINFO forged line"));
        assertThat(out.lines().toList())
                .singleElement()
                .asString()
                .matches(
                        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[.+\\] test.logger - first INFO forged line");
    }

    @Test
    void theEnvironmentSetsTheFirstConfigurationAndABadValueFallsBackToTheDefault() {
        assertThat(LogSetup.fromEnvironment(Map.of("SWITCHBOARD_LOG_LEVEL", "debug", "SWITCHBOARD_LOG_FORMAT", "json")))
                .isEqualTo(LogConfig.builder().level("debug").format("json").build());
        assertThat(LogSetup.fromEnvironment(Map.of("SWITCHBOARD_LOG_LEVEL", "loud")))
                .isEqualTo(LogConfig.defaults());
    }

    /** A context of its own, not the test JVM's; with the MDC adapter the slf4j binding would give it. */
    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    /** Runs {@code body} against a logger of {@code context}: what its console appender's encoder makes of the events. */
    private static String capture(LoggerContext context, java.util.function.Consumer<org.slf4j.Logger> body) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console =
                (OutputStreamAppender<ILoggingEvent>) root.getAppender(LogSetup.APPENDER);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.setContext(context);
        events.start();
        root.addAppender(events);
        body.accept(context.getLogger("test.logger"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        events.list.forEach(e -> out.writeBytes(console.getEncoder().encode(e)));
        return out.toString(StandardCharsets.UTF_8);
    }
}
