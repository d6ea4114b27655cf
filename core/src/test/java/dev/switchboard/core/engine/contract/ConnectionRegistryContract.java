package dev.switchboard.core.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.ConnectionRegistry;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ConnectionRegistry} promises, written once and run against each engine
 * (memory: {@code MemoryConnectionRegistryContractTest}; Redis: {@code RedisConnectionRegistryContractIT}).
 *
 * <p>Left to the engines' own tests: what other nodes see, the routing cache fed by pub/sub and
 * dropping a dead node's entries (Redis only). The registry has no paging: {@link
 * ConnectionRegistry#all()} returns every entry.
 */
public abstract class ConnectionRegistryContract extends ContractSupport {

    private static final String KEY = "proj-1:staging";

    protected ConnectionRegistry registry;

    /** A new registry under test, on storage no other test uses (its own Redis key prefix). */
    protected abstract ConnectionRegistry newConnectionRegistry();

    @BeforeEach
    void createRegistry() {
        registry = closeAfterTest(newConnectionRegistry());
    }

    private static ConnectionEntry entry(String client, String user, String routingKey, long connectedAt) {
        return new ConnectionEntry(client, user, routingKey, "node-1", connectedAt);
    }

    private void add(ConnectionEntry... entries) {
        for (ConnectionEntry e : entries) {
            registry.add(e).join();
        }
    }

    @Test
    void emptyRegistryFindsNothing() {
        assertThat(registry.byClient("c1").join()).isEmpty();
        assertThat(registry.byUser("42").join()).isEmpty();
        assertThat(registry.byRoutingKey(KEY).join()).isEmpty();
        assertThat(registry.routesByRoutingKey(KEY).join()).isEmpty();
        assertThat(registry.all().join()).isEmpty();
    }

    @Test
    void addedConnectionIsFoundByClientUserAndRoutingKey() {
        ConnectionEntry c1 = new ConnectionEntry("c1", "42", KEY, "node-7", 1_000L);
        add(c1);

        assertThat(registry.byClient("c1").join()).contains(c1);
        assertThat(registry.byUser("42").join()).containsExactly(c1);
        assertThat(registry.byRoutingKey(KEY).join()).containsExactly(c1);
        assertThat(registry.routesByRoutingKey(KEY).join()).containsExactly(c1);
        assertThat(registry.all().join()).containsExactly(c1);
    }

    @Test
    void lookupsListOnlyMatchingConnectionsOldestFirst() {
        ConnectionEntry newest = entry("c3", "42", KEY, 3_000L);
        ConnectionEntry oldest = entry("c1", "42", KEY, 1_000L);
        ConnectionEntry otherUser = entry("c2", "43", KEY, 2_000L);
        ConnectionEntry otherKey = entry("c4", "42", "proj-2:prod", 4_000L);
        add(newest, oldest, otherUser, otherKey);

        assertThat(registry.byUser("42").join()).containsExactly(oldest, newest, otherKey);
        assertThat(registry.byUser("43").join()).containsExactly(otherUser);
        assertThat(registry.byRoutingKey(KEY).join()).containsExactly(oldest, otherUser, newest);
        assertThat(registry.routesByRoutingKey(KEY).join()).containsExactly(oldest, otherUser, newest);
        assertThat(registry.all().join()).containsExactly(oldest, otherUser, newest, otherKey);
        assertThat(registry.byUser("44").join()).isEmpty();
    }

    @Test
    void connectionWithoutRoutingKeyIsFoundByClientAndUserOnly() {
        ConnectionEntry plain = entry("c1", "42", null, 1_000L);
        add(plain);

        assertThat(registry.byClient("c1").join()).contains(plain);
        assertThat(registry.byUser("42").join()).containsExactly(plain);
        assertThat(registry.byRoutingKey("").join()).isEmpty();
        assertThat(registry.all().join()).containsExactly(plain);
    }

    @Test
    void anonymousConnectionsAreListedUnderTheEmptyUser() {
        ConnectionEntry anon = entry("c1", "", KEY, 1_000L);
        add(anon, entry("c2", "42", KEY, 2_000L));

        assertThat(registry.byUser("").join()).containsExactly(anon);
    }

    @Test
    void removedConnectionIsGoneFromEveryLookup() {
        ConnectionEntry gone = entry("c1", "42", KEY, 1_000L);
        ConnectionEntry stays = entry("c2", "42", KEY, 2_000L);
        add(gone, stays);
        assertThat(registry.routesByRoutingKey(KEY).join()).hasSize(2);

        registry.remove(gone).join();
        assertThat(registry.byClient("c1").join()).isEmpty();
        assertThat(registry.byUser("42").join()).containsExactly(stays);
        assertThat(registry.byRoutingKey(KEY).join()).containsExactly(stays);
        assertThat(registry.routesByRoutingKey(KEY).join()).containsExactly(stays);
        assertThat(registry.all().join()).containsExactly(stays);

        registry.remove(gone).join();
        registry.remove(stays).join();
        assertThat(registry.all().join()).isEmpty();
    }

    @Test
    void addingAClientAgainReplacesItsEntryInEveryLookup() {
        add(entry("c1", "42", KEY, 1_000L));
        ConnectionEntry moved = new ConnectionEntry("c1", "43", "proj-2:prod", "node-2", 2_000L);
        add(moved);

        assertThat(registry.byClient("c1").join()).contains(moved);
        assertThat(registry.byUser("43").join()).containsExactly(moved);
        assertThat(registry.byRoutingKey("proj-2:prod").join()).containsExactly(moved);
        assertThat(registry.byUser("42").join()).as("not under its old user").isEmpty();
        assertThat(registry.byRoutingKey(KEY).join())
                .as("not under its old routing key")
                .isEmpty();
        assertThat(registry.all().join()).containsExactly(moved);
    }

    @Test
    void manyConnectionsAreAllListed() {
        for (int i = 0; i < 200; i++) {
            add(entry("c" + i, "u" + (i % 10), KEY, 10_000L + i));
        }

        List<ConnectionEntry> all = registry.all().join();
        assertThat(all).hasSize(200);
        assertThat(all).extracting(ConnectionEntry::connectedAt).isSorted();
        assertThat(registry.byUser("u3").join())
                .hasSize(20)
                .extracting(ConnectionEntry::clientId)
                .startsWith("c3", "c13");
        assertThat(registry.byRoutingKey(KEY).join()).hasSize(200);
    }
}
