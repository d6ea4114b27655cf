package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.contract.ManualClock;
import dev.switchboard.core.engine.contract.PresenceManagerContract;
import java.time.Duration;

/** The presence contract on the memory engine, its expiry driven by a hand-moved clock. */
class MemoryPresenceManagerContractTest extends PresenceManagerContract {

    private final ManualClock clock = new ManualClock();

    @Override
    protected PresenceManager newPresenceManager() {
        return new MemoryPresenceManager(clock);
    }

    @Override
    protected void elapse(Duration d) {
        clock.advance(d);
    }
}
