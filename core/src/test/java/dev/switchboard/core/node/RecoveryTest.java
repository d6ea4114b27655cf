package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    private static List<Publication> pubs(long from, long to) {
        List<Publication> out = new ArrayList<>();
        for (long o = from; o <= to; o++) {
            out.add(new Publication(o, "{}".getBytes(), null, null, 0));
        }
        return out;
    }

    private static HistoryResult read(long from, long to, long top, String epoch) {
        return new HistoryResult(from > to ? List.of() : pubs(from, to), new StreamPosition(top, epoch));
    }

    @Test
    void recoversExactlyTheMissedPublications() {
        Recovery.Outcome o = Recovery.apply("e1", 5, 100, read(6, 9, 9, "e1"));
        assertThat(o.recovered()).isTrue();
        assertThat(o.publications()).extracting(Publication::offset).containsExactly(6L, 7L, 8L, 9L);
    }

    @Test
    void nothingMissedIsRecovered() {
        Recovery.Outcome o = Recovery.apply("e1", 9, 100, read(1, 0, 9, "e1"));
        assertThat(o.recovered()).isTrue();
        assertThat(o.publications()).isEmpty();
    }

    @Test
    void anotherEpochIsNotRecoveredAndReturnsNothing() {
        Recovery.Outcome o = Recovery.apply("old", 5, 100, read(6, 9, 9, "new"));
        assertThat(o.recovered()).isFalse();
        assertThat(o.publications()).isEmpty();
        assertThat(o.position()).isEqualTo(new StreamPosition(9, "new"));
    }

    @Test
    void emptyClientEpochMatchesAnyEpoch() {
        assertThat(Recovery.apply("", 5, 100, read(6, 7, 7, "x")).recovered()).isTrue();
    }

    @Test
    void trimmedHistoryIsNeverAPartialSet() {
        // Client saw 5, history kept only 8..9: 6 and 7 are gone.
        Recovery.Outcome o = Recovery.apply("e1", 5, 100, read(8, 9, 9, "e1"));
        assertThat(o.recovered()).isFalse();
        assertThat(o.publications()).isEmpty();
    }

    @Test
    void moreThanTheLimitIsNotRecovered() {
        // The read asks for limit + 1: getting 4 with a limit of 3 means the gap is too large.
        Recovery.Outcome o = Recovery.apply("e1", 5, 3, read(6, 9, 12, "e1"));
        assertThat(o.recovered()).isFalse();
    }

    @Test
    void clientAheadOfTheStreamIsNotRecovered() {
        // A stream that restarted with the same epoch would otherwise look complete.
        assertThat(Recovery.apply("e1", 20, 100, read(1, 0, 9, "e1")).recovered())
                .isFalse();
    }

    @Test
    void everythingTrimmedButTopMovedIsNotRecovered() {
        assertThat(Recovery.apply("e1", 5, 100, read(1, 0, 9, "e1")).recovered())
                .isFalse();
    }

    @Test
    void moreDataThanTheClientsQueueCanTakeIsNotRecovered() {
        HistoryResult missed = read(6, 9, 9, "e1");
        long bytes =
                missed.publications().stream().mapToLong(p -> p.data().length).sum();
        assertThat(Recovery.apply("e1", 5, 100, bytes, missed).recovered()).isTrue();
        Recovery.Outcome o = Recovery.apply("e1", 5, 100, bytes - 1, missed);
        assertThat(o.recovered()).isFalse();
        assertThat(o.publications()).isEmpty();
    }
}
