package dev.switchboard.server.abuse;

import dev.switchboard.server.testing.TestServers;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Row 1: WebSocket Ping frames with 125-byte payloads, as fast as the socket takes them. The node
 * must count the Pongs it owes against the connection's queue bound (a peer that does not read is
 * cut off) and count Pings against the command rate limit (a peer that reads is closed with 3013).
 */
class PingFloodAttackIT {

    @RegisterExtension
    static final HostileNodeExtension NODE = new HostileNodeExtension();
    /** How long an attacker may keep its socket: "a few seconds" plus slack for a loaded machine. */
    static final Duration CUT_WITHIN = Duration.ofSeconds(6);

    /** 64 Ping frames of 125 bytes each, written in one go. */
    private static byte[] pings() {
        byte[] payload = new byte[125];
        Arrays.fill(payload, (byte) 'p');
        byte[] one = RawWebSocket.frame(RawWebSocket.PING, true, payload);
        byte[] batch = new byte[one.length * 64];
        for (int i = 0; i < 64; i++) {
            System.arraycopy(one, 0, batch, i * one.length, one.length);
        }
        return batch;
    }

    private static String connectCommand(String user) {
        return "{\"id\":1,\"connect\":{\"token\":\"" + TestServers.token(user) + "\"}}";
    }

    private void nonReadingPeerIsCutOff(String row, boolean connectFirst) throws Exception {
        HostileNode node = NODE.node();
        long slowBefore = node.counter("switchboard_client_disconnects_total{code=\"3008\"}")
                + node.counter("switchboard_client_disconnects_total{code=\"3013\"}");
        byte[] batch = pings();
        long cutAfter;
        long written;
        String failure;
        try (AttackWatch watch = AttackWatch.start(node, row)) {
            RawWebSocket attacker = RawWebSocket.open(node.port());
            if (connectFirst) {
                attacker.sendText(connectCommand("attacker"));
            }
            try (Flood flood = new Flood(row, attacker.socket(), i -> batch, 0)) {
                cutAfter = flood.awaitClosed(CUT_WITHIN);
                written = flood.bytesWritten();
                failure = flood.failure();
            }
            SoftAssertions s = new SoftAssertions();
            watch.assertUnaffected(s);
            AttackWatch.report("ATTACK " + row + " attacker_cut_after_ms=" + cutAfter + " attacker_bytes_written="
                    + written + " attacker_write_failure=" + failure);
            s.assertThat(cutAfter)
                    .as("ms until the node closed the non-reading Ping flooder (-1: still open after " + CUT_WITHIN
                            + ", " + written + " bytes of Pings written) [" + watch.summary() + "]")
                    .isNotNegative();
            if (connectFirst) {
                long slowAfter = node.counter("switchboard_client_disconnects_total{code=\"3008\"}")
                        + node.counter("switchboard_client_disconnects_total{code=\"3013\"}");
                s.assertThat(slowAfter)
                        .as("disconnects with 3008 (slow) or 3013 (rate limit) counted in /metrics")
                        .isGreaterThan(slowBefore);
            }
            s.assertAll();
        }
    }

    @Test
    void nonReadingPingFlooderWithoutConnectIsCutOff() throws Exception {
        nonReadingPeerIsCutOff("row1-ping-flood-no-connect", false);
    }

    @Test
    void nonReadingPingFlooderAfterConnectIsCutOff() throws Exception {
        nonReadingPeerIsCutOff("row1-ping-flood-connected", true);
    }

    @Test
    void readingPingFlooderIsClosedForExceedingTheCommandRate() throws Exception {
        HostileNode node = NODE.node();
        byte[] batch = pings();
        try (AttackWatch watch = AttackWatch.start(node, "row1-ping-flood-reading");
                RawWebSocket attacker = RawWebSocket.open(node.port())) {
            attacker.sendText(connectCommand("attacker"));
            AtomicInteger closeCode = new AtomicInteger(RawWebSocket.STILL_OPEN);
            Thread reader = new Thread(() -> closeCode.set(attacker.awaitClose(CUT_WITHIN)), "ping-reader");
            reader.start();
            try (Flood flood = new Flood("reading", attacker.socket(), i -> batch, 0)) {
                reader.join(CUT_WITHIN.toMillis() + 2000);
            }
            SoftAssertions s = new SoftAssertions();
            watch.assertUnaffected(s);
            AttackWatch.report("ATTACK row1-ping-flood-reading close_code=" + closeCode.get());
            s.assertThat(closeCode.get())
                    .as("close code of a reading client flooding Pings (-1: still open after " + CUT_WITHIN
                            + ", 1006: no close frame) [" + watch.summary() + "]")
                    .isEqualTo(3013);
            s.assertAll();
        }
    }
}
