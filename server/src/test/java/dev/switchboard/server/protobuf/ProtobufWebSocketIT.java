package dev.switchboard.server.protobuf;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.server.testing.ProtobufWsClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.wire.proto.Command;
import dev.switchboard.wire.proto.ConnectRequest;
import dev.switchboard.wire.proto.HistoryRequest;
import dev.switchboard.wire.proto.PresenceRequest;
import dev.switchboard.wire.proto.PresenceStatsRequest;
import dev.switchboard.wire.proto.PublishRequest;
import dev.switchboard.wire.proto.RPCRequest;
import dev.switchboard.wire.proto.Reply;
import dev.switchboard.wire.proto.SendRequest;
import dev.switchboard.wire.proto.SubscribeRequest;
import dev.switchboard.wire.proto.UnsubscribeRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protobuf encoding over real sockets, with raw frames: selection, every command, bad input. */
class ProtobufWebSocketIT {

    private static SwitchboardServer server;

    @BeforeAll
    static void start() {
        server = TestServers.start(
                "",
                b -> b.rpc("echo", req -> CompletableFuture.completedFuture(req.data()))
                        .onSend((client, data) -> {}));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Command.Builder cmd(int id) {
        return Command.newBuilder().setId(id);
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void theSubprotocolIsSelectedAndEveryCommandWorksOverBinaryFrames() throws Exception {
        try (ProtobufWsClient c = ProtobufWsClient.open(TestServers.wsUrl(server));
                WsTestClient json = WsTestClient.open(TestServers.wsUrl(server))) {
            assertThat(c.subprotocol()).isEqualTo("centrifuge-protobuf");
            // connect and subscribe in one frame, as SDKs send them.
            c.send(
                    cmd(1).setConnect(ConnectRequest.newBuilder().setToken(TestServers.token("alice")))
                            .build(),
                    cmd(2).setSubscribe(SubscribeRequest.newBuilder()
                                    .setChannel("pb")
                                    .setJoinLeave(true))
                            .build());
            Reply connect = c.reply(1);
            assertThat(connect.getConnect().getClient()).isNotEmpty();
            assertThat(connect.getConnect().getPing()).isPositive();
            assertThat(connect.getConnect().getPong()).isTrue();
            Reply subscribe = c.reply(2);
            assertThat(subscribe.hasError()).as(subscribe.toString()).isFalse();
            assertThat(subscribe.getSubscribe().getRecoverable()).isTrue();
            String epoch = subscribe.getSubscribe().getEpoch();
            assertThat(epoch).isNotEmpty();

            // A JSON subscriber of the same channel: one publication, two encodings.
            json.connect(TestServers.token("bob"));
            json.send("{\"id\":2,\"subscribe\":{\"channel\":\"pb\",\"join_leave\":true}}");
            json.reply(2);
            // Its own join first, then bob's.
            Reply join = c.await(r -> r.getPush().hasJoin()
                    && r.getPush().getJoin().getInfo().getUser().equals("bob"));
            assertThat(join.getPush().getChannel()).isEqualTo("pb");

            server.node().publish("pb", "{\"n\": 1}".getBytes(UTF_8)).join();
            Reply pub = c.await(r -> r.getPush().hasPub());
            assertThat(pub.getPush().getChannel()).isEqualTo("pb");
            assertThat(pub.getPush().getPub().getData().toStringUtf8()).isEqualTo("{\"n\": 1}");
            assertThat(pub.getPush().getPub().getOffset())
                    .isEqualTo(subscribe.getSubscribe().getOffset() + 1);
            assertThat(json.push("pb", "pub").get("data").get("n").asInt()).isEqualTo(1);

            // The protobuf client publishes; the JSON one gets it with the publisher's info.
            c.send(cmd(3).setPublish(
                            PublishRequest.newBuilder().setChannel("pb").setData(bs("{\"from\":\"pb\"}")))
                    .build());
            assertThat(c.reply(3).hasPublish()).isTrue();
            var fromPb = json.push("pb", "pub");
            assertThat(fromPb.get("data").get("from").asText()).isEqualTo("pb");
            assertThat(fromPb.get("info").get("user").asText()).isEqualTo("alice");

            c.send(
                    cmd(4).setPresence(PresenceRequest.newBuilder().setChannel("pb"))
                            .build(),
                    cmd(5).setPresenceStats(PresenceStatsRequest.newBuilder().setChannel("pb"))
                            .build(),
                    cmd(6).setHistory(
                                    HistoryRequest.newBuilder().setChannel("pb").setLimit(10))
                            .build(),
                    cmd(7).setRpc(RPCRequest.newBuilder().setMethod("echo").setData(bs("[1, \"x\"]")))
                            .build(),
                    cmd(8).setRpc(RPCRequest.newBuilder().setMethod("nope")).build());
            assertThat(c.reply(4).getPresence().getPresenceMap()).hasSize(2);
            assertThat(c.reply(5).getPresenceStats().getNumUsers()).isEqualTo(2);
            Reply history = c.reply(6);
            assertThat(history.getHistory().getPublicationsList())
                    .extracting(p -> p.getData().toStringUtf8())
                    .containsExactly("{\"n\": 1}", "{\"from\":\"pb\"}");
            assertThat(history.getHistory().getEpoch()).isEqualTo(epoch);
            assertThat(c.reply(7).getRpc().getData().toStringUtf8()).isEqualTo("[1,\"x\"]");
            assertThat(c.reply(8).getError().getCode()).isEqualTo(108);

            // Errors keep their code; unsubscribe answers.
            c.send(cmd(9).setSubscribe(SubscribeRequest.newBuilder().setChannel("nosuchns:x"))
                    .build());
            assertThat(c.reply(9).getError().getCode()).isEqualTo(102);
            c.send(cmd(10).setUnsubscribe(UnsubscribeRequest.newBuilder().setChannel("pb"))
                    .build());
            assertThat(c.reply(10).hasUnsubscribe()).isTrue();
            assertThat(json.push("pb", "leave").get("info").get("user").asText())
                    .isEqualTo("alice");
        }
    }

    @Test
    void anInvocationReachesAProtobufClientAsAMessagePushAndItsSendAnswersIt() throws Exception {
        try (ProtobufWsClient c = ProtobufWsClient.open(TestServers.wsUrl(server))) {
            String clientId = c.connect(TestServers.token("agent")).getConnect().getClient();
            CompletableFuture<byte[]> call = server.node()
                    .invoke(InvokeTarget.client(clientId), "sum", "[1,2]".getBytes(UTF_8), Duration.ofSeconds(5));
            Reply message = c.await(r -> r.getPush().hasMessage());
            var invoke = dev.switchboard.core.protocol.ProtocolCodec.mapper()
                    .readTree(message.getPush().getMessage().getData().toByteArray())
                    .get("sb_invoke");
            assertThat(invoke.get("method").asText()).isEqualTo("sum");
            assertThat(invoke.get("data").toString()).isEqualTo("[1,2]");
            String answer = "{\"sb_result\":{\"id\":\"" + invoke.get("id").asText() + "\",\"data\":3}}";
            c.send(Command.newBuilder()
                    .setSend(SendRequest.newBuilder().setData(bs(answer)))
                    .build());
            assertThat(new String(call.get(5, java.util.concurrent.TimeUnit.SECONDS), UTF_8))
                    .isEqualTo("3");
        }
    }

    @Test
    void theQueryParameterSelectsProtobufWithoutASubprotocol() {
        try (ProtobufWsClient c =
                ProtobufWsClient.openWithoutSubprotocol(TestServers.wsUrl(server) + "?cf_protocol=protobuf")) {
            assertThat(c.subprotocol()).isEmpty();
            assertThat(c.connect(TestServers.token("q")).getConnect().getClient())
                    .isNotEmpty();
        }
    }

    @Test
    void aTextFrameOnAProtobufConnectionIsInappropriateProtocol() {
        try (ProtobufWsClient c = ProtobufWsClient.open(TestServers.wsUrl(server))) {
            c.sendText("{\"id\":1,\"connect\":{}}");
            assertThat(c.awaitClose()).isEqualTo(3506);
        }
    }

    @Test
    void malformedFramesCloseOnlyThatClientWithBadRequest() {
        byte[][] bad = {
            {0x05, 0x08}, // length 5, one byte follows: truncated
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x08}, // length 2^31-1
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01},
            {0x02, 0x08}, // a command cut inside its id
            ProtobufWsClient.frame(cmd(1).setConnect(ConnectRequest.newBuilder()
                            .setToken(TestServers.token("x"))
                            .setData(ByteString.copyFrom(new byte[] {(byte) 0xc3, 0x28})))
                    .build()), // data that is not JSON
            {}, // an empty frame
        };
        try (ProtobufWsClient bystander = ProtobufWsClient.open(TestServers.wsUrl(server))) {
            bystander.connect(TestServers.token("calm"));
            for (byte[] frame : bad) {
                try (ProtobufWsClient c = ProtobufWsClient.open(TestServers.wsUrl(server))) {
                    c.sendBinary(frame);
                    assertThat(c.awaitClose())
                            .as(java.util.Arrays.toString(frame))
                            .isEqualTo(3501);
                }
            }
            bystander.send(
                    cmd(2).setRpc(RPCRequest.newBuilder().setMethod("echo").setData(bs("1")))
                            .build());
            assertThat(bystander.reply(2).getRpc().getData().toStringUtf8()).isEqualTo("1");
        }
    }

    @Test
    void aFrameOverTheMessageSizeLimitIsMessageTooBig() {
        // A small limit, so the whole frame is written before the node answers with its Close frame.
        SwitchboardServer small = TestServers.start("client:\n  max_message_size: 1024\n", b -> b);
        try (ProtobufWsClient c = ProtobufWsClient.open(TestServers.wsUrl(small))) {
            c.sendBinary(new byte[1500]);
            assertThat(c.awaitClose()).isEqualTo(1009);
        } finally {
            small.close();
        }
    }
}
