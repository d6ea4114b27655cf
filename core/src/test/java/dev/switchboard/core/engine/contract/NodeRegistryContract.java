package dev.switchboard.core.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.engine.NodeRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NodeRegistry} promises about the node using it, written once and run against
 * each engine (memory: {@code MemoryNodeRegistryContractTest}; Redis: {@code RedisNodeRegistryContractIT}).
 *
 * <p>The memory registry is one node's view of itself, so what involves other nodes (several
 * listed, eviction after the node timeout) is Redis-only and stays in {@code RedisNodeRegistryIT}.
 */
public abstract class NodeRegistryContract extends ContractSupport {

    protected NodeRegistry registry;

    /** A new registry under test, on storage no other test uses (its own Redis key prefix). */
    protected abstract NodeRegistry newNodeRegistry();

    @BeforeEach
    void createRegistry() {
        registry = closeAfterTest(newNodeRegistry());
    }

    private static NodeInfo info(String id, int clients) {
        return new NodeInfo(id, "node " + id, "0.1.0", "10.0.0.1:8000", clients, clients / 2, clients * 3, 7, 12_345L);
    }

    @Test
    void noNodeIsListedBeforeAnyHeartbeat() {
        assertThat(registry.nodes().join()).isEmpty();
    }

    @Test
    void heartbeatingNodeIsListedWithItsInfo() {
        registry.heartbeat(info("n1", 10)).join();

        assertThat(registry.nodes().join()).containsExactly(info("n1", 10));
    }

    @Test
    void headlessNodeIsListedWithAnEmptyAddress() {
        NodeInfo worker = new NodeInfo("w1", "worker", "0.1.0", null, 0, 0, 0, 0, 1L);
        registry.heartbeat(worker).join();

        assertThat(registry.nodes().join()).singleElement().satisfies(n -> {
            assertThat(n).isEqualTo(worker);
            assertThat(n.address()).isEmpty();
        });
    }

    @Test
    void aHeartbeatSaysWhetherTheNodeJoinedOrWasListedAlready() {
        assertThat(registry.heartbeat(info("n1", 10)).join()).as("first").isTrue();
        assertThat(registry.heartbeat(info("n1", 11)).join()).as("listed").isFalse();
        registry.leave("n1").join();
        assertThat(registry.heartbeat(info("n1", 12)).join())
                .as("after leaving")
                .isTrue();
    }

    @Test
    void nextHeartbeatReplacesTheCounts() {
        registry.heartbeat(info("n1", 10)).join();
        registry.heartbeat(info("n1", 11)).join();

        assertThat(registry.nodes().join()).containsExactly(info("n1", 11));
    }

    @Test
    void leftNodeIsNoLongerListed() {
        registry.heartbeat(info("n1", 10)).join();

        registry.leave("n1").join();
        assertThat(registry.nodes().join()).isEmpty();
    }

    @Test
    void leaveOfAnotherNodeKeepsThisOneListed() {
        registry.heartbeat(info("n1", 10)).join();

        registry.leave("some-other-node").join();
        assertThat(registry.nodes().join()).containsExactly(info("n1", 10));
    }

    @Test
    void heartbeatAfterLeavingListsTheNodeAgain() {
        registry.heartbeat(info("n1", 10)).join();
        registry.leave("n1").join();

        registry.heartbeat(info("n1", 12)).join();
        assertThat(registry.nodes().join()).containsExactly(info("n1", 12));
    }
}
