package dev.switchboard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CapacityModelTest {

    private static final CapacityModel.Costs C = CapacityModel.Costs.DOCUMENTED;

    private static CapacityModel.Projection chat(long connections) {
        return CapacityModel.project(
                C, new CapacityModel.Workload("chat", connections, connections / 60.0, 10, 1800, 3333));
    }

    @Test
    void subscribingNodesOfAChannel() {
        assertThat(CapacityModel.subscribingNodes(1, 10)).isEqualTo(1.0);
        assertThat(CapacityModel.subscribingNodes(2, 10)).isCloseTo(2 * (1 - Math.pow(0.5, 10)), within(1e-12));
        // Few subscribers over many nodes: about one node each; many subscribers: every node.
        assertThat(CapacityModel.subscribingNodes(100, 10)).isCloseTo(9.56, within(0.01));
        assertThat(CapacityModel.subscribingNodes(44, 100_000)).isCloseTo(44, within(1e-9));
    }

    @Test
    void chatAtOneMillionIsBoundByConnectionsPerNode() {
        CapacityModel.Projection p = chat(1_000_000);
        assertThat(p.nodesForConnections()).isEqualTo(10);
        assertThat(p.nodesForCpu()).isEqualTo(3); // 166,667 deliveries/s × 20 µs + 1M × 7 µs = 10.3 cores
        assertThat(p.nodes()).isEqualTo(10);
        assertThat(p.subscribingNodes()).isCloseTo(6.51, within(0.01));
        // 16,667/s × (30 + 6.51 × 2) µs = 0.72 cores: two shards at 50 %
        assertThat(p.publishCores()).isCloseTo(0.717, within(0.001));
        assertThat(p.publishShards()).isEqualTo(2);
        assertThat(p.connectsPerSec()).isCloseTo(555.6, within(0.1));
        assertThat(p.registryOwnShard()).isFalse();
    }

    @Test
    void chatAtTenMillionGivesTheRegistryAShardOfItsOwn() {
        CapacityModel.Projection p = chat(10_000_000);
        assertThat(p.nodes()).isEqualTo(100);
        assertThat(p.publishShards()).isEqualTo(17);
        // 5,556 connects/s × 80 µs + 100 nodes × 0.4 ms/s
        assertThat(p.registryCores()).isCloseTo(0.484, within(0.001));
        assertThat(p.registryOwnShard()).isTrue();
    }

    @Test
    void broadcastIsBoundByNodeCpuForDeliveries() {
        CapacityModel.Projection p =
                CapacityModel.project(C, new CapacityModel.Workload("broadcast", 1_000_000, 100, 100_000, 1800, 3333));
        assertThat(p.deliveriesPerSec()).isEqualTo(10_000_000);
        assertThat(p.nodesForCpu()).isEqualTo(44);
        assertThat(p.nodes()).isEqualTo(44);
        assertThat(p.pubSubMessagesPerSec()).isCloseTo(4_400, within(1e-6));
        assertThat(p.publishShards()).isEqualTo(1);
    }
}
