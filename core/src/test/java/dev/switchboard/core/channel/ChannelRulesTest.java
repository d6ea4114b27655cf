package dev.switchboard.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChannelRulesTest {

    private final ChannelRules rules = ChannelRules.builder()
            .defaultOptions(ChannelOptions.builder().presence(true).build())
            .namespace(
                    "chat",
                    ChannelOptions.builder()
                            .historySize(10)
                            .historyTtl(Duration.ofMinutes(1))
                            .build())
            .maxChannelLength(32)
            .build();

    @Test
    void channelsWithoutPrefixUseTheDefaultNamespace() {
        assertThat(rules.optionsFor("news"))
                .get()
                .extracting(ChannelOptions::presence)
                .isEqualTo(true);
    }

    @Test
    void prefixSelectsTheNamespace() {
        assertThat(rules.optionsFor("chat:room1"))
                .get()
                .extracting(ChannelOptions::historySize)
                .isEqualTo(10);
    }

    @Test
    void unknownNamespaceHasNoOptions() {
        assertThat(rules.optionsFor("nope:x")).isEmpty();
    }

    @Test
    void namesAreCheckedForLengthAndCharacters() {
        assertThat(rules.isValidName("chat:room-1_a.b")).isTrue();
        assertThat(rules.isValidName("")).isFalse();
        assertThat(rules.isValidName("a".repeat(33))).isFalse();
        assertThat(rules.isValidName("has space")).isFalse();
        assertThat(rules.isValidName("new\nline")).isFalse();
    }

    @Test
    void userLimitedChannelsAdmitOnlyListedUsers() {
        assertThat(ChannelRules.isUserLimited("dm:#42,43")).isTrue();
        assertThat(ChannelRules.userAllowed("dm:#42,43", "42")).isTrue();
        assertThat(ChannelRules.userAllowed("dm:#42,43", "43")).isTrue();
        assertThat(ChannelRules.userAllowed("dm:#42,43", "4")).isFalse();
        assertThat(ChannelRules.userAllowed("dm:#42,43", "")).isFalse();
    }

    @Test
    void recoveryWithoutHistoryIsRefused() {
        assertThatThrownBy(() -> ChannelOptions.builder().forceRecovery(true).build())
                .hasMessageContaining("history");
    }

    @Test
    void duplicateNamespaceIsRefused() {
        assertThatThrownBy(() -> ChannelRules.builder()
                        .namespace("a", ChannelOptions.defaults())
                        .namespace("a", ChannelOptions.defaults()))
                .hasMessageContaining("twice");
    }

    @Test
    void aHistoryReadWithoutOptionsKeepsThePositionAsLongAsAChannelByDefault() {
        // Two packages that may not import each other hold the same default; this keeps them equal.
        assertThat(dev.switchboard.core.engine.HistoryFilter.DEFAULT_META_TTL)
                .isEqualTo(ChannelOptions.DEFAULT_HISTORY_META_TTL);
    }
}
