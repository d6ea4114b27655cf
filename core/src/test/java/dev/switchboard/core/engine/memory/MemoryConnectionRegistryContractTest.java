package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.contract.ConnectionRegistryContract;

/** The connection registry contract on the memory engine. */
class MemoryConnectionRegistryContractTest extends ConnectionRegistryContract {

    @Override
    protected ConnectionRegistry newConnectionRegistry() {
        return new MemoryConnectionRegistry();
    }
}
