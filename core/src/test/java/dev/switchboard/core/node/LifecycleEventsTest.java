package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.EventQueue;
import dev.switchboard.core.engine.EventQueue.QueuedEvent;
import dev.switchboard.core.engine.memory.MemoryEngine;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifecycleEventsTest {

    private final MemoryEngine engine = new MemoryEngine();
    private Node node;

    private Node start(LifecycleEvents scope) {
        node = Node.builder()
                .options(NodeOptions.builder()
                        .channelRules(ChannelRules.builder()
                                .defaultOptions(ChannelOptions.builder()
                                        .allowSubscribeForClient(true)
                                        .build())
                                .build())
                        .build())
                .tokenVerifier(new TestTokens())
                .engine(engine)
                .lifecycleEvents(scope)
                .build()
                .start();
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Client connect(String user) {
        RecordingTransport t = new RecordingTransport();
        Client c = node.newClient(t);
        c.handleFrame(b("{\"id\":1,\"connect\":{\"token\":\"user:" + user + "\"}}"));
        assertThat(t.reply(1).has("connect")).as("connect reply %s", t.json()).isTrue();
        return c;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<JsonNode> drain() throws IOException {
        EventQueue q = engine.eventQueue().orElseThrow();
        List<QueuedEvent> batch = q.claim("test", 1000).join();
        q.ack(batch).join();
        List<JsonNode> out = new ArrayList<>();
        for (QueuedEvent e : batch) {
            out.add(ProtocolCodec.mapper().readTree(e.json()));
        }
        return out;
    }

    @Test
    void aConnectionGetsOneConnectedAndOneDisconnectedEventWithItsCodeAndReason() throws Exception {
        start(LifecycleEvents.CONNECTIONS);
        Client c = connect("56");
        c.handleFrame(b("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}"));
        c.close(Disconnect.SLOW);
        c.close(Disconnect.SHUTDOWN);

        List<JsonNode> events = drain();
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("connected", "disconnected");
        JsonNode connected = events.get(0);
        JsonNode disconnected = events.get(1);
        assertThat(connected.path("client").asText()).isEqualTo(c.id());
        assertThat(connected.path("user").asText()).isEqualTo("56");
        assertThat(connected.path("node").asText()).isEqualTo(node.options().id());
        assertThat(connected.path("transport").asText()).isEqualTo("test");
        assertThat(connected.path("time").asLong()).isPositive();
        assertThat(disconnected.path("code").asInt()).isEqualTo(3008);
        assertThat(disconnected.path("reason").asText()).isEqualTo("slow");
        assertThat(connected.path("id").asText())
                .isNotEqualTo(disconnected.path("id").asText());
    }

    @Test
    void subscriptionEventsAreOptInAndADisconnectEndsSubscriptionsWithoutOneEventEach() throws Exception {
        start(LifecycleEvents.CONNECTIONS_AND_SUBSCRIPTIONS);
        Client c = connect("56");
        c.handleFrame(b("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}"));
        c.handleFrame(b("{\"id\":3,\"subscribe\":{\"channel\":\"sport\"}}"));
        c.handleFrame(b("{\"id\":4,\"unsubscribe\":{\"channel\":\"news\"}}"));
        c.close(Disconnect.CONNECTION_CLOSED);

        List<JsonNode> events = drain();
        assertThat(events)
                .extracting(
                        e -> e.path("type").asText() + " " + e.path("channel").asText())
                .containsExactly(
                        "connected ", "subscribed news", "subscribed sport", "unsubscribed news", "disconnected ");
    }

    @Test
    void withoutLifecycleEventsNothingIsQueued() throws Exception {
        start(LifecycleEvents.NONE);
        connect("56").close(Disconnect.CONNECTION_CLOSED);
        assertThat(drain()).isEmpty();
    }

    @Test
    void aClosingNodeQueuesTheShutdownDisconnectOfEveryClientBeforeItsEngineCloses() throws Exception {
        start(LifecycleEvents.CONNECTIONS);
        connect("a");
        connect("b");
        node.close();
        List<JsonNode> events = drain();
        assertThat(events)
                .filteredOn(e -> e.path("type").asText().equals("disconnected"))
                .extracting(e -> e.path("code").asInt())
                .containsExactly(3001, 3001);
    }

    @Test
    void anEngineWithoutAnEventQueueRefusesLifecycleEventsAtBuild() {
        MemoryEngine parts = new MemoryEngine();
        Engine composed =
                Engine.of(parts.broker(), parts.presenceManager(), parts.nodeRegistry(), parts.connectionRegistry());
        assertThatThrownBy(() -> Node.builder()
                        .engine(composed)
                        .lifecycleEvents(LifecycleEvents.CONNECTIONS)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("event queue");
    }
}
