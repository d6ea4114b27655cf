package dev.switchboard.core.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.ClientInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;

/**
 * What the engine contract suites share: resources closed after each test, bounded waits for
 * asynchronous engines, a hook that lets time pass, and comparison of {@link ClientInfo}s.
 *
 * <p>Time: a contract test that needs an entry to expire calls {@link #elapse} and then waits
 * with {@link #eventually()}. An engine on a hand-moved clock advances it in {@code elapse} (the
 * wait then succeeds at once); an engine on real time does nothing there and the bounded wait
 * lets the time pass.
 */
public abstract class ContractSupport {

    /** Longest wait for an asynchronous engine to show an effect (delivery, expiry). */
    public static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private static final Duration POLL = Duration.ofMillis(10);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Closes {@code resource} after the test, after the implementation under test, newest first. */
    protected final <T extends AutoCloseable> T closeAfterTest(T resource) {
        resources.push(resource);
        return resource;
    }

    /**
     * Lets {@code d} pass for the implementation under test. Engines on a hand-moved clock
     * override this to move it; on real time (Redis) it does nothing, and callers wait with
     * {@link #eventually()}.
     */
    protected void elapse(Duration d) {
        // Real time passes during the caller's bounded wait.
    }

    /** A wait bounded by {@link #MAX_WAIT}, polling often. */
    protected static ConditionFactory eventually() {
        return Awaitility.await().atMost(MAX_WAIT).pollInterval(POLL).pollDelay(Duration.ZERO);
    }

    @AfterEach
    void closeResources() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A client with connection and channel info, as a real subscriber has. */
    protected static ClientInfo clientInfo(String client, String user) {
        return new ClientInfo(client, user, bytes("{\"name\":\"" + user + "\"}"), bytes("{\"role\":\"viewer\"}"));
    }

    /** Same client, user and info JSON (records compare byte arrays by identity). */
    protected static void assertSameInfo(ClientInfo actual, ClientInfo expected) {
        assertThat(actual).isNotNull();
        assertThat(actual.client()).isEqualTo(expected.client());
        assertThat(actual.user()).isEqualTo(expected.user());
        assertThat(text(actual.connInfo())).isEqualTo(text(expected.connInfo()));
        assertThat(text(actual.chanInfo())).isEqualTo(text(expected.chanInfo()));
    }
}
