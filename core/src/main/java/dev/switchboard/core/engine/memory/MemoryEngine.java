package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.EventQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The engine of a single node, everything in this process: a {@link MemoryBroker}, a
 * {@link MemoryPresenceManager} and the single-node registries. It is what a node uses when it
 * is given no engine.
 *
 * <p>Its parts keep expired streams, idempotency keys and presence entries until swept (reads
 * already skip them); the engine sweeps them on a daemon thread of its own from
 * {@link #start} to {@link #close}.
 *
 * <pre>{@code
 * Node node = Node.builder().engine(new MemoryEngine()).build().start();
 * }</pre>
 */
public final class MemoryEngine implements Engine {

    /** How often expired streams and presence entries are dropped. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

    private final MemoryBroker broker;
    private final MemoryPresenceManager presence;
    private final MemoryNodeRegistry nodeRegistry = new MemoryNodeRegistry();
    private final MemoryEventQueue events;
    private final MemoryConnectionRegistry connectionRegistry;
    private final Duration sweepInterval;
    private ScheduledExecutorService sweeper;
    private boolean closed;

    public MemoryEngine() {
        this(Clock.systemUTC(), SWEEP_INTERVAL, MemoryEventQueue.DEFAULT_MAX_BACKLOG);
    }

    /** An engine whose history and presence TTLs are read from the clock. */
    public MemoryEngine(Clock clock) {
        this(clock, SWEEP_INTERVAL, MemoryEventQueue.DEFAULT_MAX_BACKLOG);
    }

    /**
     * An engine whose lifecycle event queue holds at most {@code maxEventBacklog} events
     * ({@link MemoryEventQueue#DEFAULT_MAX_BACKLOG} by default).
     */
    public MemoryEngine(Clock clock, int maxEventBacklog) {
        this(clock, SWEEP_INTERVAL, maxEventBacklog);
    }

    /** An engine reading time from the clock and sweeping at the interval, for tests of expiry. */
    MemoryEngine(Clock clock, Duration sweepInterval) {
        this(clock, sweepInterval, MemoryEventQueue.DEFAULT_MAX_BACKLOG);
    }

    private MemoryEngine(Clock clock, Duration sweepInterval, int maxEventBacklog) {
        this.broker = new MemoryBroker(clock);
        this.presence = new MemoryPresenceManager(clock);
        this.sweepInterval = Objects.requireNonNull(sweepInterval);
        this.events = new MemoryEventQueue(maxEventBacklog, clock);
        this.connectionRegistry = new MemoryConnectionRegistry(events);
    }

    @Override
    public MemoryBroker broker() {
        return broker;
    }

    @Override
    public MemoryPresenceManager presenceManager() {
        return presence;
    }

    @Override
    public MemoryNodeRegistry nodeRegistry() {
        return nodeRegistry;
    }

    @Override
    public MemoryConnectionRegistry connectionRegistry() {
        return connectionRegistry;
    }

    /** A bounded in-memory queue, lost with the process. */
    @Override
    public Optional<EventQueue> eventQueue() {
        return Optional.of(events);
    }

    /** Starts the broker and the sweep timer. */
    @Override
    public synchronized void start(BrokerEventHandler handler) {
        if (sweeper != null || closed) {
            throw new IllegalStateException(closed ? "memory engine closed" : "memory engine already started");
        }
        broker.start(handler);
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-memory-sweep");
            t.setDaemon(true);
            return t;
        });
        long every = sweepInterval.toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Drops what expired in the broker and the presence manager. */
    void sweep() {
        broker.sweep();
        presence.sweep();
    }

    /** Whether the sweep timer runs (between start and close). */
    synchronized boolean sweeping() {
        return sweeper != null && !sweeper.isShutdown();
    }

    /** Stops the sweep timer, then closes the parts. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        Engine.super.close();
    }
}
