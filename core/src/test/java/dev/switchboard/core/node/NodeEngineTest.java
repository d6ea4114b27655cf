package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.memory.MemoryBroker;
import dev.switchboard.core.engine.memory.MemoryConnectionRegistry;
import dev.switchboard.core.engine.memory.MemoryEngine;
import dev.switchboard.core.engine.memory.MemoryNodeRegistry;
import dev.switchboard.core.engine.memory.MemoryPresenceManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a node gets its engine, and that it starts and closes it. */
@SuppressWarnings("deprecation") // the part setters are under test
class NodeEngineTest {

    /** A memory engine that records the node's calls and answers health as told. */
    private static final class RecordingEngine implements Engine {
        final MemoryEngine delegate = new MemoryEngine();
        final List<String> calls = new ArrayList<>();
        volatile boolean healthy = true;

        @Override
        public Broker broker() {
            return delegate.broker();
        }

        @Override
        public PresenceManager presenceManager() {
            return delegate.presenceManager();
        }

        @Override
        public NodeRegistry nodeRegistry() {
            return delegate.nodeRegistry();
        }

        @Override
        public ConnectionRegistry connectionRegistry() {
            return delegate.connectionRegistry();
        }

        @Override
        public boolean healthy() {
            return healthy;
        }

        @Override
        public void start(BrokerEventHandler handler) {
            calls.add("start");
            delegate.start(handler);
        }

        @Override
        public void close() {
            calls.add("close");
            delegate.close();
        }
    }

    @Test
    void theNodeStartsAndClosesTheEngineItIsGivenAndReportsItsHealth() {
        RecordingEngine engine = new RecordingEngine();
        Node node = Node.builder().engine(engine).build();
        assertThat(engine.calls).isEmpty();

        node.start();
        assertThat(node.engineHealthy()).isTrue();
        engine.healthy = false;
        assertThat(node.engineHealthy()).isFalse();
        node.close();

        assertThat(engine.calls).containsExactly("start", "close");
    }

    @Test
    void aNodeGivenNoEngineRunsOnTheMemoryEngine() {
        Node node = Node.builder().build().start();
        try {
            assertThat(node.engineHealthy()).isTrue();
            assertThat(node.nodes().join()).hasSize(1);
        } finally {
            node.close();
        }
    }

    @Test
    void aBrokerWithoutRegistriesFailsFastNamingWhatIsMissing() {
        NodeBuilder b = Node.builder().broker(new MemoryBroker()).presenceManager(new MemoryPresenceManager());

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing nodeRegistry, connectionRegistry")
                .hasMessageContaining("engine(Engine.of(");
    }

    @Test
    void aBrokerWithoutAConnectionRegistryDoesNotGetTheMemoryOne() {
        NodeBuilder b = Node.builder()
                .broker(new MemoryBroker())
                .presenceManager(new MemoryPresenceManager())
                .nodeRegistry(new MemoryNodeRegistry());

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing connectionRegistry");
    }

    @Test
    void anEngineAndPartsTogetherAreRefused() {
        NodeBuilder b = Node.builder().engine(new MemoryEngine()).broker(new MemoryBroker());

        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("only engine(");
    }

    @Test
    void allFourPartsStillMakeANode() {
        MemoryConnectionRegistry connections = new MemoryConnectionRegistry();
        Node node = Node.builder()
                .broker(new MemoryBroker())
                .presenceManager(new MemoryPresenceManager())
                .nodeRegistry(new MemoryNodeRegistry())
                .connectionRegistry(connections)
                .build()
                .start();
        try {
            assertThat(node.connections(null, null).join()).isEmpty();
        } finally {
            node.close();
        }
    }

    @Test
    void anEngineOfPartsNamesAMissingPart() {
        assertThatThrownBy(() ->
                        Engine.of(new MemoryBroker(), new MemoryPresenceManager(), new MemoryNodeRegistry(), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("connectionRegistry");
    }
}
