package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.engine.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeIdTest {

    private static final ChannelOptions OPTS = ChannelOptions.builder()
            .historySize(10)
            .historyTtl(Duration.ofMinutes(1))
            .forceRecovery(true)
            .build();

    private static ClientSubscription sub(String channel, boolean recoverable, long offset, String epoch) {
        ClientSubscription s = new ClientSubscription(channel, OPTS, true, recoverable, recoverable, false, null, 0);
        s.subscribing = false;
        s.offset = offset;
        s.epoch = epoch;
        return s;
    }

    @Test
    void anIdGivesBackEachRecoverableChannelsPosition() {
        String id = ResumeId.of(
                List.of(sub("news", true, 12, "abc"), sub("jobs:1", true, 0, "x9"), sub("plain", false, 3, "e")));
        ResumeId r = ResumeId.parse(id);
        assertThat(r.lookup("news"))
                .isEqualTo(new ResumeId.Lookup(ResumeId.Outcome.FOUND, new StreamPosition(12, "abc")));
        assertThat(r.lookup("jobs:1").position()).isEqualTo(new StreamPosition(0, "x9"));
        assertThat(r.lookup("plain").outcome()).isEqualTo(ResumeId.Outcome.ABSENT);
        assertThat(r.lookup("other").outcome()).isEqualTo(ResumeId.Outcome.ABSENT);
    }

    @Test
    void malformedTooLongOrOverfullIdsSayUnknownNeverThrow() {
        for (String bad :
                List.of("", "2.a-b-c", "1.zz", "1.a-b", "1.a-b-c-d", "1.a-!-e", "1.a-1-bad epoch", "x".repeat(5000))) {
            assertThat(ResumeId.parse(bad).lookup("news").outcome()).as(bad).isEqualTo(ResumeId.Outcome.UNKNOWN);
        }
        assertThat(ResumeId.parse(null).lookup("news").outcome()).isEqualTo(ResumeId.Outcome.UNKNOWN);
        List<ClientSubscription> many = new ArrayList<>();
        for (int i = 0; i <= ResumeId.MAX_ENTRIES; i++) {
            many.add(sub("c" + i, true, i, "e"));
        }
        String id = ResumeId.of(many);
        assertThat(id).isEqualTo("1.!");
        assertThat(ResumeId.of(List.of(sub("a", true, 3, "e"), sub("holed", true, Long.MAX_VALUE, "e"))))
                .as("a stream with a hole cannot be resumed from")
                .isEqualTo("1.!");
        assertThat(ResumeId.parse(id).lookup("c1").outcome()).isEqualTo(ResumeId.Outcome.UNKNOWN);
    }

    @Test
    void anIdWithNoRecoverableChannelsResumesNothing() {
        assertThat(ResumeId.of(List.of(sub("plain", false, 3, "e")))).isEqualTo("1");
        assertThat(ResumeId.parse("1").lookup("plain").outcome()).isEqualTo(ResumeId.Outcome.ABSENT);
    }
}
