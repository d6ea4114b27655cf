package dev.switchboard.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.EventQueue.Backlog;
import dev.switchboard.core.engine.EventQueue.QueuedEvent;
import dev.switchboard.core.engine.contract.ManualClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryEventQueueTest {

    private final ManualClock clock = new ManualClock();

    private static String text(QueuedEvent e) {
        return new String(e.json(), StandardCharsets.UTF_8);
    }

    @Test
    void claimedEventsStayInTheBacklogUntilAcknowledgedAndAreNotClaimedTwice() {
        MemoryEventQueue q = new MemoryEventQueue(10, clock);
        q.offer("1".getBytes());
        q.offer("2".getBytes());
        q.offer("3".getBytes());
        List<QueuedEvent> first = q.claim("n", 2).join();
        assertThat(first).extracting(MemoryEventQueueTest::text).containsExactly("1", "2");
        assertThat(q.claim("n", 5).join())
                .extracting(MemoryEventQueueTest::text)
                .containsExactly("3");
        assertThat(q.backlog().join().size()).isEqualTo(3);
        q.ack(first).join();
        assertThat(q.backlog().join().size()).isEqualTo(1);
        assertThat(q.claim("n", 5).join()).isEmpty();
    }

    @Test
    void aFullQueueDropsTheOldestWaitingEventAndCountsIt() {
        MemoryEventQueue q = new MemoryEventQueue(2, clock);
        q.offer("1".getBytes());
        q.offer("2".getBytes());
        q.offer("3".getBytes());
        assertThat(q.dropped()).isEqualTo(1);
        assertThat(q.claim("n", 5).join())
                .extracting(MemoryEventQueueTest::text)
                .containsExactly("2", "3");
        // Everything claimed, nothing acknowledged: the newest is the one that cannot fit.
        q.offer("4".getBytes());
        assertThat(q.dropped()).isEqualTo(2);
        assertThat(q.backlog().join().size()).isEqualTo(2);
    }

    @Test
    void theBacklogAgeIsThatOfTheOldestUnacknowledgedEvent() {
        MemoryEventQueue q = new MemoryEventQueue(10, clock);
        assertThat(q.backlog().join()).isEqualTo(Backlog.EMPTY);
        q.offer("1".getBytes());
        clock.advance(java.time.Duration.ofSeconds(3));
        q.offer("2".getBytes());
        List<QueuedEvent> claimed = q.claim("n", 1).join();
        clock.advance(java.time.Duration.ofSeconds(2));
        assertThat(q.backlog().join()).isEqualTo(new Backlog(2, 5000));
        q.ack(claimed).join();
        assertThat(q.backlog().join()).isEqualTo(new Backlog(1, 2000));
    }
}
