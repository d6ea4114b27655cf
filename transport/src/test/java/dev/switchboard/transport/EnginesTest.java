package dev.switchboard.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.memory.MemoryBroker;
import dev.switchboard.core.engine.memory.MemoryEngine;
import dev.switchboard.core.engine.memory.MemoryNodeRegistry;
import dev.switchboard.core.engine.memory.MemoryPresenceManager;
import dev.switchboard.transport.config.ServerConfig;
import org.junit.jupiter.api.Test;

/** The engine wiring shared by servers and workers, and the server builder's engine setters. */
class EnginesTest {

    @Test
    void theDefaultConfigMakesAMemoryEngine() {
        Engine engine = Engines.create(ServerConfig.defaults(), "n1");
        try {
            assertThat(engine).isInstanceOf(MemoryEngine.class);
        } finally {
            engine.close();
        }
    }

    @Test
    void aServerRunsOnTheEngineItIsGiven() {
        MemoryEngine engine = new MemoryEngine();
        SwitchboardServer server = SwitchboardServer.builder()
                .config(ServerConfig.builder().port(0).build())
                .engine(engine)
                .build()
                .start();
        try {
            assertThat(server.health().engineOk()).isTrue();
            assertThat(server.node().nodes().join()).hasSize(1);
        } finally {
            server.close();
        }
    }

    @Test
    @SuppressWarnings("deprecation") // the old setter is under test
    void theOldEngineSetterRefusesANodeRegistryWithoutAConnectionRegistry() {
        var builder = SwitchboardServer.builder();

        assertThatThrownBy(
                        () -> builder.engine(new MemoryBroker(), new MemoryPresenceManager(), new MemoryNodeRegistry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no connection registry");
    }

    @Test
    @SuppressWarnings("deprecation") // the old setter is under test
    void theOldEngineSetterWithoutARegistryMakesASingleNodeEngine() {
        SwitchboardServer server = SwitchboardServer.builder()
                .config(ServerConfig.builder().port(0).build())
                .engine(new MemoryBroker(), new MemoryPresenceManager(), null)
                .build()
                .start();
        try {
            assertThat(server.node().nodes().join()).hasSize(1);
        } finally {
            server.close();
        }
    }
}
