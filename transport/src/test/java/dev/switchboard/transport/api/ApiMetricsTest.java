package dev.switchboard.transport.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.memory.MemoryConnectionRegistry;
import dev.switchboard.core.engine.memory.MemoryNodeRegistry;
import dev.switchboard.core.engine.memory.MemoryPresenceManager;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.transport.api.ApiTestSupport.ControllableBroker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each API call is reported once, with a bounded method label and its outcome. */
class ApiMetricsTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Node node = Node.builder()
            .options(NodeOptions.builder()
                    .id("node-1")
                    .channelRules(ApiTestSupport.rules())
                    .build())
            .engine(Engine.of(
                    new ControllableBroker(),
                    new MemoryPresenceManager(),
                    new MemoryNodeRegistry(),
                    new MemoryConnectionRegistry()))
            .build()
            .start();
    private final ApiExecutor api =
            new ApiExecutor(node, ApiExecutor.DEFAULT_MAX_RESPONSE_BYTES, (method, outcome, nanos) -> {
                assertThat(nanos).isNotNegative();
                calls.add(method + " " + outcome);
            });

    @AfterEach
    void stop() {
        api.close();
        node.close();
    }

    @Test
    void callsAreReportedByMethodAndOutcome() {
        ApiTestSupport.call(api, "info", "{}");
        ApiTestSupport.call(api, "publish", "[");
        ApiTestSupport.call(api, "publish", "{\"channel\":\"nosuchns:x\",\"data\":{}}");
        ApiTestSupport.call(api, "method_" + "x".repeat(100), "{}");
        ApiTestSupport.call(api, "batch", "{\"commands\":[{\"info\":{}}]}");
        assertThat(calls)
                .containsExactly("info ok", "publish bad_request", "publish error", "unknown not_found", "batch ok");
    }

    @Test
    void outcomesComeFromAFixedSet() {
        assertThat(ApiMetrics.outcome(200, false)).isEqualTo("ok");
        assertThat(ApiMetrics.outcome(200, true)).isEqualTo("error");
        assertThat(ApiMetrics.outcome(503, true)).isEqualTo("unavailable");
        assertThat(ApiMetrics.outcome(504, true)).isEqualTo("timeout");
        assertThat(ApiMetrics.outcome(418, true)).isEqualTo("http_4xx");
    }
}
