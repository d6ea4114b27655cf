package dev.switchboard.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.contract.ManualClock;
import dev.switchboard.core.node.Node;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryEngineTest {

    private final ManualClock clock = new ManualClock();
    private final MemoryEngine engine = new MemoryEngine(clock, Duration.ofMillis(10));
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(Node::close);
        engine.close();
    }

    /** Starts the engine the way a node does. */
    private Node nodeOn(MemoryEngine e) {
        Node node = Node.builder().engine(e).build();
        nodes.add(node);
        return node.start();
    }

    private void publishWithHistory(String channel) {
        engine.broker()
                .publish(
                        channel,
                        "{}".getBytes(StandardCharsets.UTF_8),
                        new PublishOptions(10, Duration.ofSeconds(1), Duration.ofSeconds(1), null, null, null, null))
                .join();
    }

    @Test
    void sweepsNothingBeforeItStarts() {
        assertThat(engine.sweeping()).isFalse();
    }

    @Test
    void itsTimerDropsExpiredStreamsOnceStarted() {
        nodeOn(engine);
        assertThat(engine.sweeping()).isTrue();
        publishWithHistory("chat");
        assertThat(engine.broker().streamCount()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(5)).until(() -> engine.broker().streamCount() == 0);
    }

    @Test
    void closingTheNodeStopsTheTimerAndEmptiesTheParts() {
        Node node = nodeOn(engine);
        engine.connectionRegistry()
                .add(new ConnectionEntry("c1", "alice", null, "n1", 1))
                .join();

        node.close();

        assertThat(engine.sweeping()).isFalse();
        assertThat(engine.connectionRegistry().all().join()).isEmpty();
    }

    @Test
    void startsOnceAndNotAfterClose() {
        nodeOn(engine);
        assertThatThrownBy(() -> nodeOn(engine))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");

        MemoryEngine closed = new MemoryEngine();
        closed.close();
        assertThatThrownBy(() -> nodeOn(closed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closeIsIdempotent() {
        nodeOn(engine);
        engine.close();
        engine.close();
        assertThat(engine.sweeping()).isFalse();
    }
}
