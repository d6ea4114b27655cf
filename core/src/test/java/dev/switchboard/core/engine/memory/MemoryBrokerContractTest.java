package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.contract.BrokerContract;
import dev.switchboard.core.engine.contract.ManualClock;
import java.time.Duration;

/** The broker contract on the memory engine, its expiry driven by a hand-moved clock. */
class MemoryBrokerContractTest extends BrokerContract {

    private final ManualClock clock = new ManualClock();

    @Override
    protected Broker newBroker() {
        return new MemoryBroker(clock);
    }

    @Override
    protected String nodeId() {
        return "memory-node";
    }

    @Override
    protected void elapse(Duration d) {
        clock.advance(d);
    }
}
