package dev.switchboard.core.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.PresenceStats;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresenceManager} promises, written once and run against each engine (memory:
 * {@code MemoryPresenceManagerContractTest}; Redis: {@code RedisPresenceManagerContractIT}).
 *
 * <p>Left to the engines' own tests: what several nodes see (Redis only), key cleanup in Redis,
 * faults, and a non-positive TTL (Redis refuses it, memory stores an entry that is already expired).
 */
public abstract class PresenceManagerContract extends ContractSupport {

    private static final Duration LONG_TTL = Duration.ofMinutes(1);
    private static final Duration SHORT_TTL = Duration.ofMillis(400);
    private static final String CH = "chat:lobby";

    protected PresenceManager presence;

    /** A new presence manager under test, on storage no other test uses (its own Redis key prefix). */
    protected abstract PresenceManager newPresenceManager();

    @BeforeEach
    void createPresenceManager() {
        presence = closeAfterTest(newPresenceManager());
    }

    private Map<String, ClientInfo> who() {
        return presence.presence(CH).join();
    }

    private PresenceStats stats() {
        return presence.presenceStats(CH).join();
    }

    private void add(String client, String user, Duration ttl) {
        presence.addPresence(CH, clientInfo(client, user), ttl).join();
    }

    @Test
    void emptyChannelHasNoEntriesAndZeroCounts() {
        assertThat(who()).isEmpty();
        assertThat(stats()).isEqualTo(new PresenceStats(0, 0));
    }

    @Test
    void addedEntriesAreListedWithTheirInfoAndCountedByConnectionAndUser() {
        add("c1", "42", LONG_TTL);
        add("c2", "42", LONG_TTL);
        add("c3", "43", LONG_TTL);
        add("anon", "", LONG_TTL);

        Map<String, ClientInfo> who = who();
        assertThat(who).containsOnlyKeys("c1", "c2", "c3", "anon");
        assertSameInfo(who.get("c1"), clientInfo("c1", "42"));
        assertSameInfo(who.get("anon"), clientInfo("anon", ""));
        assertThat(stats()).isEqualTo(new PresenceStats(4, 3));
        assertThat(presence.presence("chat:other").join())
                .as("channels are separate")
                .isEmpty();
    }

    @Test
    void entryWithoutInfoIsListedWithoutInfo() {
        presence.addPresence(CH, new ClientInfo("c1", "42", null, null), LONG_TTL)
                .join();

        ClientInfo listed = who().get("c1");
        assertThat(listed.user()).isEqualTo("42");
        assertThat(listed.connInfo()).isNull();
        assertThat(listed.chanInfo()).isNull();
    }

    @Test
    void removedEntriesAreGoneAndTheCountsFollow() {
        add("c1", "42", LONG_TTL);
        add("c2", "42", LONG_TTL);
        add("c3", "43", LONG_TTL);

        presence.removePresence(CH, "c1", "42").join();
        assertThat(who()).containsOnlyKeys("c2", "c3");
        assertThat(stats()).isEqualTo(new PresenceStats(2, 2));

        presence.removePresence(CH, "c3", "43").join();
        assertThat(stats()).isEqualTo(new PresenceStats(1, 1));
        presence.removePresence(CH, "c2", "42").join();
        presence.removePresence(CH, "never-there", "0").join();
        presence.removePresence("chat:never-used", "c1", "42").join();
        assertThat(who()).isEmpty();
        assertThat(stats()).isEqualTo(new PresenceStats(0, 0));
    }

    @Test
    void refreshReplacesTheInfoAndKeepsOneEntry() {
        add("c1", "42", LONG_TTL);
        ClientInfo changed = clientInfo("c1", "42").withChanInfo(bytes("{\"role\":\"admin\"}"));
        presence.addPresence(CH, changed, LONG_TTL).join();

        Map<String, ClientInfo> who = who();
        assertThat(who).hasSize(1);
        assertSameInfo(who.get("c1"), changed);
        assertThat(stats()).isEqualTo(new PresenceStats(1, 1));
    }

    @Test
    void entryExpiresAfterItsTtlUnlessRefreshedWithALongerOne() {
        add("stays", "1", LONG_TTL);
        add("refreshed", "2", SHORT_TTL);
        add("expires", "3", SHORT_TTL);
        add("refreshed", "2", LONG_TTL);
        assertThat(who()).containsOnlyKeys("stays", "refreshed", "expires");

        elapse(SHORT_TTL.plusMillis(1));
        eventually().until(() -> !who().containsKey("expires"));
        assertThat(who()).containsOnlyKeys("stays", "refreshed");
        assertThat(stats()).isEqualTo(new PresenceStats(2, 2));
    }
}
