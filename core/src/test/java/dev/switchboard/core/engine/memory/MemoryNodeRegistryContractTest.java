package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.contract.NodeRegistryContract;

/** The node registry contract on the memory engine. */
class MemoryNodeRegistryContractTest extends NodeRegistryContract {

    @Override
    protected NodeRegistry newNodeRegistry() {
        return new MemoryNodeRegistry();
    }
}
