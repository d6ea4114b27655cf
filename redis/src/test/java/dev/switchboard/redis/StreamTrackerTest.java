package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.redis.testing.BrokerEventsAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Gap detection and fill on one channel, with the stream read answered by the test. */
class StreamTrackerTest {

    private final List<Long> delivered = new ArrayList<>();
    private int insufficient;
    private final List<CompletableFuture<HistoryResult>> reads = new ArrayList<>();
    private final List<Long> readFrom = new ArrayList<>();
    private final List<Runnable> retries = new ArrayList<>();

    private final BrokerEventHandler handler = new BrokerEventsAdapter() {
        @Override
        public void handlePublication(String channel, Publication publication, StreamPosition position) {
            delivered.add(publication.offset());
        }

        @Override
        public void handleInsufficientState(String channel) {
            insufficient++;
        }
    };

    private final List<String> resets = new ArrayList<>();

    private final StreamTracker tracker = new StreamTracker(
            "c",
            handler,
            new StreamTracker.Reader() {
                @Override
                public CompletableFuture<HistoryResult> readAfter(String ch, long from, int limit) {
                    CompletableFuture<HistoryResult> f = new CompletableFuture<>();
                    reads.add(f);
                    readFrom.add(from);
                    return f;
                }

                @Override
                public CompletableFuture<Void> resetEpoch(String ch, String rolledBackEpoch) {
                    resets.add(rolledBackEpoch);
                    return CompletableFuture.completedFuture(null);
                }
            },
            retries::add,
            100,
            1000);

    private static byte[] msg(long offset, String epoch) {
        byte[] payload = PublicationCodec.encode("{}".getBytes(StandardCharsets.UTF_8), null, null, 0);
        byte[] head = ("p" + offset + ":" + epoch + ":").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    private static HistoryResult stream(long from, long to, long top, String epoch) {
        List<Publication> pubs = new ArrayList<>();
        for (long o = from; o <= to; o++) {
            pubs.add(new Publication(o, "{}".getBytes(StandardCharsets.UTF_8), null, null, 0));
        }
        return new HistoryResult(pubs, new StreamPosition(top, epoch));
    }

    @Test
    void contiguousMessagesAreDeliveredAndDuplicatesDropped() {
        tracker.start("e", 0);
        tracker.onMessage(msg(1, "e"));
        tracker.onMessage(msg(2, "e"));
        tracker.onMessage(msg(2, "e"));
        assertThat(delivered).containsExactly(1L, 2L);
        assertThat(reads).isEmpty();
    }

    @Test
    void messagesBeforeTheStartPositionAreDropped() {
        tracker.onMessage(msg(5, "e"));
        tracker.onMessage(msg(6, "e"));
        tracker.start("e", 5);
        assertThat(delivered).containsExactly(6L);
    }

    @Test
    void aGapIsFilledFromTheStreamBeforeNewerMessages() {
        tracker.start("e", 0);
        tracker.onMessage(msg(1, "e"));
        tracker.onMessage(msg(4, "e"));
        tracker.onMessage(msg(5, "e"));
        assertThat(delivered).containsExactly(1L);
        assertThat(readFrom).containsExactly(1L);
        reads.get(0).complete(stream(2, 5, 5, "e"));
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(insufficient).isZero();
        assertThat(tracker.filledCount()).isEqualTo(4);
    }

    @Test
    void aRangeTheStreamNoLongerHoldsIsInsufficientState() {
        tracker.start("e", 0);
        tracker.onMessage(msg(1, "e"));
        tracker.onMessage(msg(9, "e"));
        reads.get(0).complete(stream(7, 9, 9, "e"));
        assertThat(insufficient).isEqualTo(1);
        tracker.onMessage(msg(10, "e"));
        assertThat(delivered).containsExactly(1L, 10L);
    }

    @Test
    void anEpochChangeIsInsufficientState() {
        tracker.start("old", 3);
        tracker.onMessage(msg(1, "new"));
        assertThat(insufficient).isEqualTo(1);
        assertThat(delivered).containsExactly(1L);
    }

    @Test
    void aFailedFillIsRetriedAndMessagesWaitMeanwhile() {
        tracker.start("e", 0);
        tracker.onMessage(msg(3, "e"));
        reads.get(0).completeExceptionally(new RuntimeException("redis down"));
        assertThat(retries).hasSize(1);
        tracker.onMessage(msg(4, "e"));
        retries.get(0).run();
        reads.get(1).complete(stream(1, 4, 4, "e"));
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aStreamThatWentBackInTimeGetsANewEpochAndSubscribersRecover() {
        tracker.start("e", 0);
        for (long o = 1; o <= 5; o++) {
            tracker.onMessage(msg(o, "e"));
        }
        tracker.resync();
        reads.get(0).complete(stream(1, 0, 3, "e"));
        assertThat(resets).containsExactly("e");
        assertThat(insufficient).isEqualTo(1);
    }

    @Test
    void resyncReadsWhatWasMissedWhileDisconnected() {
        tracker.start("e", 0);
        tracker.onMessage(msg(1, "e"));
        tracker.resync();
        tracker.onMessage(msg(4, "e"));
        reads.get(0).complete(stream(2, 3, 3, "e"));
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L);
    }
}
