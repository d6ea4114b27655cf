package dev.switchboard.server.abuse;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.switchboard.server.testing.ProtobufWsClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.wire.proto.Command;
import dev.switchboard.wire.proto.ConnectRequest;
import dev.switchboard.wire.proto.HistoryRequest;
import dev.switchboard.wire.proto.PresenceStatsRequest;
import dev.switchboard.wire.proto.PublishRequest;
import dev.switchboard.wire.proto.RPCRequest;
import dev.switchboard.wire.proto.RefreshRequest;
import dev.switchboard.wire.proto.Reply;
import dev.switchboard.wire.proto.SendRequest;
import dev.switchboard.wire.proto.StreamPosition;
import dev.switchboard.wire.proto.SubRefreshRequest;
import dev.switchboard.wire.proto.SubscribeRequest;
import dev.switchboard.wire.proto.UnsubscribeRequest;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The protobuf encoding under a seeded fuzzer, against a node in a small-heap JVM of its own:
 * valid commands of every kind mutated (bytes flipped, cut, lengths lied about, frames joined),
 * random bytes, and now and then a text frame, on protobuf connections. Every frame must be
 * answered or its connection closed with a documented code within 2 s; afterwards the innocent
 * subscriber still receives, {@code /health} is 200 and the node log has no ERROR or stack trace.
 * Rerun one seed with {@code -Dfuzz.seed=<seed>}.
 */
class ProtobufFuzzIT {

    @RegisterExtension
    static final HostileNodeExtension NODE = new HostileNodeExtension();

    static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 15));
    static final int MAX_CASES = Integer.getInteger("fuzz.cases", 3000);
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    static final String PATH = "/connection/websocket?cf_protocol=protobuf";

    /** A protobuf connection: reply ids are read from the varint-delimited Replies of a binary frame. */
    private static final class Conn extends FuzzConnection {
        volatile String unreadable;

        Conn(HostileNode node) throws IOException {
            super(RawWebSocket.open(node.port(), PATH));
        }

        @Override
        void onData(RawWebSocket.Frame f) throws IOException {
            if (f.opcode() == RawWebSocket.TEXT) {
                unreadable = "the node sent a text frame on a protobuf connection";
                return;
            }
            if (f.opcode() != RawWebSocket.BINARY) {
                return;
            }
            CodedInputStream in = CodedInputStream.newInstance(f.payload());
            try {
                while (!in.isAtEnd()) {
                    Reply r = Reply.parseFrom(in.readRawBytes(in.readRawVarint32()));
                    replies.add((long) r.getId());
                    if (r.getId() == 0 && !r.hasPush()) {
                        ws.send(RawWebSocket.BINARY, true, new byte[] {0});
                    }
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                unreadable = "the node sent a frame that is not varint-delimited Replies: "
                        + Arrays.toString(Arrays.copyOf(f.payload(), Math.min(64, f.payload().length)));
            }
        }
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    /** One valid command of each kind the node serves. */
    private static List<Command> seeds() {
        return List.of(
                Command.newBuilder()
                        .setId(2)
                        .setSubscribe(SubscribeRequest.newBuilder()
                                .setChannel("fuzz")
                                .setRecover(true)
                                .setOffset(1)
                                .setEpoch("x")
                                .setJoinLeave(true)
                                .setFlag(2))
                        .build(),
                Command.newBuilder()
                        .setId(3)
                        .setPublish(PublishRequest.newBuilder()
                                .setChannel("fuzz")
                                .setData(bs("{\"a\":[1,2,{\"b\":null}]}")))
                        .build(),
                Command.newBuilder()
                        .setId(4)
                        .setHistory(HistoryRequest.newBuilder()
                                .setChannel("fuzz")
                                .setLimit(-1)
                                .setReverse(true)
                                .setSince(
                                        StreamPosition.newBuilder().setOffset(1).setEpoch("e")))
                        .build(),
                Command.newBuilder()
                        .setId(5)
                        .setRpc(RPCRequest.newBuilder().setMethod("echo").setData(bs("\"x\"")))
                        .build(),
                Command.newBuilder()
                        .setSend(SendRequest.newBuilder().setData(bs("{\"sb_result\":{\"id\":\"nope\",\"data\":1}}")))
                        .build(),
                Command.newBuilder()
                        .setId(6)
                        .setUnsubscribe(UnsubscribeRequest.newBuilder().setChannel("fuzz"))
                        .build(),
                Command.newBuilder()
                        .setId(7)
                        .setRefresh(RefreshRequest.newBuilder().setToken("bad"))
                        .build(),
                Command.newBuilder()
                        .setId(8)
                        .setSubRefresh(SubRefreshRequest.newBuilder()
                                .setChannel("fuzz")
                                .setToken("bad"))
                        .build(),
                Command.newBuilder()
                        .setId(9)
                        .setConnect(ConnectRequest.newBuilder()
                                .putHeaders("x", "y")
                                .putSubs("fuzz", SubscribeRequest.getDefaultInstance()))
                        .build());
    }

    private static byte[] mutate(Random r, List<Command> seeds) {
        byte[] f = ProtobufWsClient.frame(seeds.get(r.nextInt(seeds.size())), seeds.get(r.nextInt(seeds.size())));
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int flips = 1 + r.nextInt(4); flips > 0; flips--) {
                    f[r.nextInt(f.length)] = (byte) r.nextInt(256);
                }
            }
            case 1 -> f = Arrays.copyOf(f, r.nextInt(f.length)); // cut short (maybe empty)
            case 2 -> f[0] = (byte) (0x80 | r.nextInt(128)); // the first length becomes a longer varint
            case 3 -> {
                f = new byte[1 + r.nextInt(128)];
                r.nextBytes(f);
            }
            case 4 -> {
                byte[] longer = Arrays.copyOf(f, f.length + 5);
                Arrays.fill(longer, f.length, longer.length, (byte) 0xff); // a huge trailing length
                f = longer;
            }
            default -> {
                // valid as it is
            }
        }
        return f;
    }

    @Test
    void mutatedProtobufFramesGetDocumentedAnswers() throws Exception {
        long seed = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
        AttackWatch.report("PB-FUZZ seed=" + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        HostileNode node = NODE.node();
        List<Command> seeds = seeds();
        List<String> violations = new ArrayList<>();
        int cases = 0;
        int connections = 0;
        int[] closes = new int[5000];
        long end = System.nanoTime() + BUDGET.toNanos();
        Conn conn = null;
        try (AttackWatch watch = AttackWatch.start(node, "pb-fuzz")) {
            while (System.nanoTime() < end && cases < MAX_CASES && violations.size() < 20) {
                cases++;
                if (conn == null || !conn.open()) {
                    if (conn != null) {
                        conn.close();
                    }
                    conn = new Conn(node);
                    connections++;
                    if (random.nextInt(10) != 0) {
                        conn.ws.send(
                                RawWebSocket.BINARY,
                                true,
                                ProtobufWsClient.frame(Command.newBuilder()
                                        .setId(1)
                                        .setConnect(
                                                ConnectRequest.newBuilder().setToken(TestServers.token("pb-fuzzer")))
                                        .build()));
                        conn.awaitReplyOrClose(1, ANSWER_WITHIN);
                    }
                }
                byte[] frame = mutate(random, seeds);
                int sync = 1000 + cases;
                try {
                    if (random.nextInt(40) == 0) {
                        conn.ws.sendText("{\"id\":1,\"ping\":{}}");
                    } else {
                        conn.ws.send(RawWebSocket.BINARY, true, frame);
                    }
                    conn.ws.send(
                            RawWebSocket.BINARY,
                            true,
                            ProtobufWsClient.frame(Command.newBuilder()
                                    .setId(sync)
                                    .setPresenceStats(
                                            PresenceStatsRequest.newBuilder().setChannel("fuzz"))
                                    .build()));
                } catch (IOException closedMeanwhile) {
                    // the close code tells
                }
                if (!conn.awaitReplyOrClose(sync, ANSWER_WITHIN)) {
                    violations.add(
                            "neither answered nor closed within " + ANSWER_WITHIN + " after " + Arrays.toString(frame));
                    conn.close();
                    conn = null;
                    continue;
                }
                if (conn.unreadable != null) {
                    violations.add(conn.unreadable);
                }
                if (!conn.open()) {
                    conn.reader.join(1000);
                    int code = conn.closeCode;
                    closes[Math.max(0, Math.min(closes.length - 1, code - 1000))]++;
                    if (!ProtocolFuzzIT.documentedCloseCode(code)) {
                        violations.add("close " + code + " after " + Arrays.toString(frame));
                    }
                }
            }
            if (conn != null) {
                conn.close();
            }
            AttackWatch.report("PB-FUZZ seed=" + seed + " cases=" + cases + " connections=" + connections
                    + " close_codes=" + FuzzConnection.closeCodes(closes) + " violations=" + violations.size());
            SoftAssertions s = new SoftAssertions();
            s.assertThat(violations)
                    .as("protobuf fuzz violations (seed " + seed + ")")
                    .isEmpty();
            watch.assertUnaffected(s);
            List<String> bad = FuzzConnection.badLogLines(node);
            s.assertThat(bad)
                    .as("node log lines with ERROR or a stack trace (seed " + seed + ", log "
                            + node.logPath().toAbsolutePath() + ")")
                    .isEmpty();
            // A floor, not a speed test: a loaded 2-core machine has run under 300 in the budget.
            s.assertThat(cases).as("cases run").isGreaterThan(100);
            s.assertAll();
        }
    }
}
