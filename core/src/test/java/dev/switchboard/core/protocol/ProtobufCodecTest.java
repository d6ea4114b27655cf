package dev.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.wire.proto.ConnectRequest;
import dev.switchboard.wire.proto.HistoryRequest;
import dev.switchboard.wire.proto.PingRequest;
import dev.switchboard.wire.proto.PresenceRequest;
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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtobufCodecTest {

    private static final ProtobufCodec CODEC = ProtobufCodec.INSTANCE;

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Commands framed as an SDK frames them: each behind its varint length. */
    private static byte[] frame(MessageLite... messages) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MessageLite m : messages) {
            m.writeDelimitedTo(out);
        }
        return out.toByteArray();
    }

    private static dev.switchboard.wire.proto.Command.Builder cmd(int id) {
        return dev.switchboard.wire.proto.Command.newBuilder().setId(id);
    }

    private static Command one(dev.switchboard.wire.proto.Command.Builder c) throws Exception {
        List<Command> cmds = CODEC.decode(frame(c.build()));
        assertThat(cmds).hasSize(1);
        return cmds.get(0);
    }

    // ---- commands ----

    @Test
    void connectWithDataSubsAndHeadersBecomesTheJsonTreeTheNodeReads() throws Exception {
        Command c = one(cmd(1).setConnect(ConnectRequest.newBuilder()
                .setToken("tok")
                .setData(bs("{\"a\": [1, 2.50]}"))
                .setName("java")
                .setVersion("0.4.1")
                .putSubs(
                        "news",
                        SubscribeRequest.newBuilder()
                                .setRecover(true)
                                .setEpoch("e")
                                .setOffset(7)
                                .build())
                .putHeaders("X-Token", "v")));
        assertThat(c.id()).isEqualTo(1);
        assertThat(c.method()).isEqualTo(Command.Method.CONNECT);
        assertThat(c.text("token")).isEqualTo("tok");
        assertThat(c.text("name")).isEqualTo("java");
        assertThat(c.json("data").get("a").get(1).decimalValue()).isEqualByComparingTo("2.50");
        assertThat(c.params().get("subs").get("news").get("recover").asBoolean())
                .isTrue();
        assertThat(c.params().get("subs").get("news").get("offset").asLong()).isEqualTo(7);
        assertThat(c.params().get("headers").get("X-Token").asText()).isEqualTo("v");
    }

    @Test
    void everyOtherCommandDecodesWithItsFields() throws Exception {
        Command sub = one(cmd(2).setSubscribe(SubscribeRequest.newBuilder()
                .setChannel("ch")
                .setToken("st")
                .setRecover(true)
                .setEpoch("ep")
                .setOffset(1L << 40)
                .setData(bs("\"hi\""))
                .setPositioned(true)
                .setRecoverable(true)
                .setJoinLeave(true)
                .setFlag(2)
                .setType(1)));
        assertThat(sub.method()).isEqualTo(Command.Method.SUBSCRIBE);
        assertThat(sub.text("channel")).isEqualTo("ch");
        assertThat(sub.text("token")).isEqualTo("st");
        assertThat(sub.flag("recover")).isTrue();
        assertThat(sub.flag("positioned")).isTrue();
        assertThat(sub.flag("recoverable")).isTrue();
        assertThat(sub.flag("join_leave")).isTrue();
        assertThat(sub.number("offset", 0)).isEqualTo(1L << 40);
        assertThat(sub.number("flag", 0)).isEqualTo(2);
        assertThat(sub.number("type", 0)).isEqualTo(1);
        assertThat(sub.json("data").asText()).isEqualTo("hi");

        assertThat(one(cmd(3).setUnsubscribe(UnsubscribeRequest.newBuilder().setChannel("ch")))
                        .text("channel"))
                .isEqualTo("ch");

        Command pub = one(
                cmd(4).setPublish(PublishRequest.newBuilder().setChannel("ch").setData(bs("{\"x\":1}"))));
        assertThat(pub.method()).isEqualTo(Command.Method.PUBLISH);
        assertThat(ProtocolCodec.toBytes(pub.json("data"))).isEqualTo(b("{\"x\":1}"));

        assertThat(one(cmd(5).setPresence(PresenceRequest.newBuilder().setChannel("p")))
                        .method())
                .isEqualTo(Command.Method.PRESENCE);
        assertThat(one(cmd(6).setPresenceStats(PresenceStatsRequest.newBuilder().setChannel("p")))
                        .method())
                .isEqualTo(Command.Method.PRESENCE_STATS);

        Command hist = one(cmd(7).setHistory(HistoryRequest.newBuilder()
                .setChannel("h")
                .setLimit(-1)
                .setReverse(true)
                .setSince(StreamPosition.newBuilder().setOffset(3).setEpoch("e"))));
        assertThat(hist.number("limit", 0)).isEqualTo(-1);
        assertThat(hist.flag("reverse")).isTrue();
        assertThat(hist.params().get("since").get("offset").asLong()).isEqualTo(3);
        assertThat(hist.params().get("since").get("epoch").asText()).isEqualTo("e");

        assertThat(one(cmd(8).setPing(PingRequest.getDefaultInstance())).method())
                .isEqualTo(Command.Method.PING);

        Command send = one(cmd(0).setSend(SendRequest.newBuilder().setData(bs("{\"sb_result\":{\"id\":\"u\"}}"))));
        assertThat(send.method()).isEqualTo(Command.Method.SEND);
        assertThat(send.id()).isZero();
        assertThat(send.json("data").get("sb_result").get("id").asText()).isEqualTo("u");

        Command rpc =
                one(cmd(9).setRpc(RPCRequest.newBuilder().setMethod("echo").setData(bs("[1]"))));
        assertThat(rpc.text("method")).isEqualTo("echo");
        assertThat(rpc.json("data").get(0).asInt()).isEqualTo(1);

        assertThat(one(cmd(10).setRefresh(RefreshRequest.newBuilder().setToken("t")))
                        .text("token"))
                .isEqualTo("t");
        Command subRefresh = one(cmd(11).setSubRefresh(
                        SubRefreshRequest.newBuilder().setChannel("c").setToken("t")));
        assertThat(subRefresh.method()).isEqualTo(Command.Method.SUB_REFRESH);
        assertThat(subRefresh.text("channel")).isEqualTo("c");
    }

    @Test
    void idIsAnUnsignedThirtyTwoBitNumber() throws Exception {
        assertThat(one(cmd(-1).setPing(PingRequest.getDefaultInstance())).id()).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void severalCommandsInOneFrameKeepTheirOrderAndAnEmptyCommandIsThePong() throws Exception {
        List<Command> cmds = CODEC.decode(frame(
                cmd(1).setConnect(ConnectRequest.getDefaultInstance()).build(),
                dev.switchboard.wire.proto.Command.getDefaultInstance(),
                cmd(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("a"))
                        .build()));
        assertThat(cmds)
                .extracting(Command::method)
                .containsExactly(Command.Method.CONNECT, null, Command.Method.SUBSCRIBE);
        assertThat(cmds.get(1).isPong()).isTrue();
        assertThat(ProtocolCodec.isUnknown(cmds.get(1))).isFalse();
        assertThat(CODEC.decode(new byte[] {0}).get(0)).isSameAs(Command.PONG);
    }

    @Test
    void aMethodThisNodeDoesNotKnowIsUnknownNotAPong() throws Exception {
        // Field 99, length-delimited, empty: what a newer SDK's new request would look like.
        byte[] unknown = {(byte) 0x9a, 0x06, 0x00};
        byte[] withId = {0x08, 0x05, (byte) 0x9a, 0x06, 0x00};
        Command c = CODEC.decode(delimited(withId)).get(0);
        assertThat(ProtocolCodec.isUnknown(c)).isTrue();
        assertThat(c.id()).isEqualTo(5);
        assertThat(ProtocolCodec.isUnknown(CODEC.decode(delimited(unknown)).get(0)))
                .isTrue();
    }

    private static byte[] delimited(byte[] message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream c = CodedOutputStream.newInstance(out);
        c.writeUInt32NoTag(message.length);
        c.writeRawBytes(message);
        c.flush();
        return out.toByteArray();
    }

    @Test
    void badFramesAreProtocolErrorsNeverOtherExceptions() throws Exception {
        byte[] good = frame(cmd(1).setPing(PingRequest.getDefaultInstance()).build());
        // Empty frame.
        assertThatThrownBy(() -> CODEC.decode(new byte[0])).isInstanceOf(ProtocolException.class);
        // Truncated: the length promises more than the frame holds.
        assertThatThrownBy(() -> CODEC.decode(java.util.Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(ProtocolException.class);
        // A length far past the frame (2^31 - 1), and one that is negative as an int.
        assertThatThrownBy(() -> CODEC.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> CODEC.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}))
                .isInstanceOf(ProtocolException.class);
        // A varint that never ends.
        byte[] endless = new byte[12];
        java.util.Arrays.fill(endless, (byte) 0xff);
        assertThatThrownBy(() -> CODEC.decode(endless)).isInstanceOf(ProtocolException.class);
        // A message that is not protobuf (a wire type 7 tag).
        assertThatThrownBy(() -> CODEC.decode(new byte[] {1, 0x0f})).isInstanceOf(ProtocolException.class);
        // Two methods in one command.
        assertThatThrownBy(() -> CODEC.decode(frame(cmd(1).setPing(PingRequest.getDefaultInstance())
                        .setPresence(PresenceRequest.newBuilder().setChannel("a"))
                        .build())))
                .isInstanceOf(ProtocolException.class);
        // A payload that is not JSON, or JSON with a repeated key.
        assertThatThrownBy(() -> CODEC.decode(frame(cmd(1).setPublish(PublishRequest.newBuilder()
                                .setChannel("a")
                                .setData(ByteString.copyFrom(new byte[] {1, 2, 3})))
                        .build())))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() ->
                        CODEC.decode(frame(cmd(1).setRpc(RPCRequest.newBuilder().setData(bs("{\"a\":1,\"a\":2}")))
                                .build())))
                .isInstanceOf(ProtocolException.class);
        // Too many commands in one frame.
        assertThatThrownBy(() -> CODEC.decode(new byte[ProtobufCodec.MAX_COMMANDS_PER_FRAME + 1]))
                .isInstanceOf(ProtocolException.class);
    }

    // ---- replies and pushes ----

    private static Reply reply(byte[] json) throws Exception {
        return Reply.parseFrom(CODEC.encode(json));
    }

    private static final ClientInfo ALICE = new ClientInfo("c1", "alice", b("{\"name\": \"A\"}"), b("[1,2]"));

    @Test
    void connectReplyCarriesEveryFieldAndServerSideSubscriptions() throws Exception {
        Reply r = reply(ProtocolCodec.reply(1, "connect", g -> {
            g.writeStringField("client", "cid");
            g.writeStringField("version", "0.1.0");
            g.writeStringField("node", "n1");
            g.writeBooleanField("expires", true);
            g.writeNumberField("ttl", 4_000_000_000L);
            g.writeNumberField("ping", 25);
            g.writeBooleanField("pong", true);
            ProtocolCodec.writeRaw(g, "data", b(" {\"k\" : 1.0e3} "));
            g.writeObjectFieldStart("subs");
            g.writeObjectFieldStart("news");
            g.writeBooleanField("recoverable", true);
            g.writeStringField("epoch", "ep");
            g.writeNumberField("offset", 5);
            g.writeEndObject();
            g.writeEndObject();
            g.writeStringField("not_in_schema", "skipped");
        }));
        assertThat(r.getId()).isEqualTo(1);
        var c = r.getConnect();
        assertThat(c.getClient()).isEqualTo("cid");
        assertThat(c.getVersion()).isEqualTo("0.1.0");
        assertThat(c.getNode()).isEqualTo("n1");
        assertThat(c.getExpires()).isTrue();
        assertThat(Integer.toUnsignedLong(c.getTtl())).isEqualTo(4_000_000_000L);
        assertThat(c.getPing()).isEqualTo(25);
        assertThat(c.getPong()).isTrue();
        // Raw JSON is carried exactly as the JSON reply held it.
        assertThat(c.getData().toStringUtf8()).isEqualTo("{\"k\" : 1.0e3}");
        assertThat(c.getSubsMap().get("news").getRecoverable()).isTrue();
        assertThat(c.getSubsMap().get("news").getOffset()).isEqualTo(5);
        assertThat(c.getSubsMap().get("news").getEpoch()).isEqualTo("ep");
    }

    @Test
    void subscribeReplyCarriesRecoveredPublicationsWithTheirRawData() throws Exception {
        Publication p1 = new Publication(6, b("\"text\""), null, Map.of(), 0);
        Publication p2 = new Publication(7, b("-12.50"), ALICE, Map.of("k", "v"), 0);
        Reply r = reply(ProtocolCodec.reply(2, "subscribe", g -> {
            g.writeBooleanField("expires", true);
            g.writeNumberField("ttl", 60);
            g.writeBooleanField("recoverable", true);
            g.writeBooleanField("positioned", true);
            g.writeStringField("epoch", "ep");
            g.writeNumberField("offset", 7);
            g.writeArrayFieldStart("publications");
            ProtocolCodec.writePublication(g, p1);
            ProtocolCodec.writePublication(g, p2);
            g.writeEndArray();
            g.writeBooleanField("was_recovering", true);
            g.writeBooleanField("recovered", true);
            ProtocolCodec.writeRaw(g, "data", b("true"));
        }));
        var s = r.getSubscribe();
        assertThat(s.getExpires()).isTrue();
        assertThat(s.getTtl()).isEqualTo(60);
        assertThat(s.getRecoverable()).isTrue();
        assertThat(s.getPositioned()).isTrue();
        assertThat(s.getWasRecovering()).isTrue();
        assertThat(s.getRecovered()).isTrue();
        assertThat(s.getEpoch()).isEqualTo("ep");
        assertThat(s.getOffset()).isEqualTo(7);
        assertThat(s.getData().toStringUtf8()).isEqualTo("true");
        assertThat(s.getPublicationsList()).hasSize(2);
        assertThat(s.getPublications(0).getData().toStringUtf8()).isEqualTo("\"text\"");
        assertThat(s.getPublications(0).getOffset()).isEqualTo(6);
        assertThat(s.getPublications(0).hasInfo()).isFalse();
        assertThat(s.getPublications(1).getData().toStringUtf8()).isEqualTo("-12.50");
        assertThat(s.getPublications(1).getInfo().getUser()).isEqualTo("alice");
        assertThat(s.getPublications(1).getInfo().getConnInfo().toStringUtf8()).isEqualTo("{\"name\": \"A\"}");
        assertThat(s.getPublications(1).getInfo().getChanInfo().toStringUtf8()).isEqualTo("[1,2]");
        assertThat(s.getPublications(1).getTagsMap()).containsEntry("k", "v");
    }

    @Test
    void theRestOfTheRepliesAndTheErrorConvert() throws Exception {
        assertThat(reply(ProtocolCodec.reply(3, "unsubscribe", null)).hasUnsubscribe())
                .isTrue();
        assertThat(reply(ProtocolCodec.reply(4, "publish", null)).hasPublish()).isTrue();
        assertThat(reply(ProtocolCodec.reply(5, "ping", null)).hasPing()).isTrue();
        Reply presence = reply(ProtocolCodec.reply(6, "presence", g -> {
            g.writeObjectFieldStart("presence");
            g.writeFieldName("c1");
            ProtocolCodec.writeInfo(g, ALICE);
            g.writeEndObject();
        }));
        assertThat(presence.getPresence().getPresenceMap().get("c1").getClient())
                .isEqualTo("c1");
        assertThat(presence.getPresence()
                        .getPresenceMap()
                        .get("c1")
                        .getConnInfo()
                        .toStringUtf8())
                .isEqualTo("{\"name\": \"A\"}");
        Reply stats = reply(ProtocolCodec.reply(7, "presence_stats", g -> {
            g.writeNumberField("num_clients", 3);
            g.writeNumberField("num_users", 2);
        }));
        assertThat(stats.getPresenceStats().getNumClients()).isEqualTo(3);
        assertThat(stats.getPresenceStats().getNumUsers()).isEqualTo(2);
        Reply history = reply(ProtocolCodec.reply(
                8,
                "history",
                g -> ProtocolCodec.writeHistoryFields(
                        g,
                        new dev.switchboard.core.engine.HistoryResult(
                                List.of(new Publication(1, b("{}"), null, Map.of(), 0)),
                                new dev.switchboard.core.engine.StreamPosition(9, "ep")))));
        assertThat(history.getHistory().getPublicationsList()).hasSize(1);
        assertThat(history.getHistory().getPublications(0).getData().toStringUtf8())
                .isEqualTo("{}");
        assertThat(history.getHistory().getOffset()).isEqualTo(9);
        assertThat(history.getHistory().getEpoch()).isEqualTo("ep");
        Reply rpc =
                reply(ProtocolCodec.reply(9, "rpc", g -> ProtocolCodec.writeRaw(g, "data", b("{\"echo\":[true]}"))));
        assertThat(rpc.getRpc().getData().toStringUtf8()).isEqualTo("{\"echo\":[true]}");
        Reply refresh = reply(ProtocolCodec.reply(10, "refresh", g -> {
            g.writeStringField("client", "cid");
            g.writeStringField("version", "v");
            g.writeBooleanField("expires", true);
            g.writeNumberField("ttl", 30);
        }));
        assertThat(refresh.getRefresh().getClient()).isEqualTo("cid");
        assertThat(refresh.getRefresh().getTtl()).isEqualTo(30);
        Reply subRefresh = reply(ProtocolCodec.reply(11, "sub_refresh", g -> {
            g.writeBooleanField("expires", true);
            g.writeNumberField("ttl", 31);
        }));
        assertThat(subRefresh.getSubRefresh().getTtl()).isEqualTo(31);
        Reply error = reply(ProtocolCodec.error(12, ProtocolError.INTERNAL));
        assertThat(error.getId()).isEqualTo(12);
        assertThat(error.getError().getCode()).isEqualTo(ProtocolError.INTERNAL.code());
        assertThat(error.getError().getMessage()).isEqualTo(ProtocolError.INTERNAL.getMessage());
        assertThat(error.getError().getTemporary()).isEqualTo(ProtocolError.INTERNAL.temporary());
    }

    @Test
    void pushesConvertAndThePingIsAnEmptyReply() throws Exception {
        assertThat(CODEC.encode(ProtocolCodec.PING)).isEmpty();
        Reply join = reply(ProtocolCodec.joinPush("ch", ALICE));
        assertThat(join.getPush().getChannel()).isEqualTo("ch");
        assertThat(join.getPush().getJoin().getInfo().getUser()).isEqualTo("alice");
        Reply leave = reply(ProtocolCodec.leavePush("ch", ALICE));
        assertThat(leave.getPush().getLeave().getInfo().getClient()).isEqualTo("c1");
        Reply unsub = reply(ProtocolCodec.unsubscribePush("ch", 2500, "insufficient state"));
        assertThat(unsub.getPush().getUnsubscribe().getCode()).isEqualTo(2500);
        assertThat(unsub.getPush().getUnsubscribe().getReason()).isEqualTo("insufficient state");
        Reply subscribe = reply(ProtocolCodec.push("ch", "subscribe", g -> {
            g.writeBooleanField("recoverable", true);
            g.writeStringField("epoch", "e");
            g.writeNumberField("offset", 4);
            g.writeBooleanField("was_recovering", true);
        }));
        assertThat(subscribe.getPush().getSubscribe().getOffset()).isEqualTo(4);
        // An invocation rides on the message push: its JSON is the message's bytes.
        byte[] invoke = b("{\"sb_invoke\":{\"id\":\"u1\",\"method\":\"m\",\"data\":{\"x\":1}}}");
        Reply message = reply(ProtocolCodec.messagePush(invoke));
        assertThat(message.getId()).isZero();
        assertThat(message.getPush().getMessage().getData().toByteArray()).isEqualTo(invoke);
    }

    @Test
    void thePublicationPushEncodedDirectlyEqualsTheConvertedOne() throws Exception {
        for (Publication p : List.of(
                new Publication(0, b("1"), null, Map.of(), 0),
                new Publication(42, b("{\"a\": \"é\"}"), ALICE, Map.of("t", "1", "u", "2"), 5),
                new Publication(1, b("[ ]"), new ClientInfo("c2", "", null, null), Map.of(), 0))) {
            byte[] direct = SharedPush.publication("room", p).bytes(ProtocolFormat.PROTOBUF);
            Reply converted = reply(ProtocolCodec.publicationPush("room", p));
            assertThat(Reply.parseFrom(direct)).isEqualTo(converted);
            assertThat(converted.getPush().getPub().getData().toByteArray()).isEqualTo(p.data());
        }
    }

    @Test
    void aSharedPushIsEncodedOncePerFormatAndOnlyWhenAsked() {
        Publication p = new Publication(3, b("{}"), null, Map.of(), 0);
        SharedPush push = SharedPush.publication("c", p);
        assertThat(push.bytes(ProtocolFormat.JSON)).isSameAs(push.bytes(ProtocolFormat.JSON));
        byte[] first = push.bytes(ProtocolFormat.PROTOBUF);
        assertThat(push.bytes(ProtocolFormat.PROTOBUF)).isSameAs(first);
        SharedPush join = SharedPush.ofJson(ProtocolCodec.joinPush("c", ALICE));
        assertThat(join.bytes(ProtocolFormat.PROTOBUF)).isSameAs(join.bytes(ProtocolFormat.PROTOBUF));
    }

    @Test
    void theJsonCodecPassesMessagesThrough() throws Exception {
        ClientCodec json = ClientCodec.of(ProtocolFormat.JSON);
        byte[] m = ProtocolCodec.reply(1, "publish", null);
        assertThat(json.encode(m)).isSameAs(m);
        assertThat(json.decode(b("{\"id\":1,\"ping\":{}}")).get(0).method()).isEqualTo(Command.Method.PING);
        assertThat(ClientCodec.of(ProtocolFormat.PROTOBUF)).isSameAs(CODEC);
    }

    @Test
    void randomAndMutatedFramesOnlyEverFailAsProtocolErrors() throws Exception {
        java.util.Random random = new java.util.Random(13);
        byte[] valid = frame(
                cmd(1).setConnect(ConnectRequest.newBuilder()
                                .setToken("t")
                                .setData(bs("{\"a\":[1,{\"b\":null}]}"))
                                .putSubs(
                                        "c",
                                        SubscribeRequest.newBuilder()
                                                .setOffset(3)
                                                .build()))
                        .build(),
                cmd(2).setHistory(HistoryRequest.newBuilder()
                                .setChannel("h")
                                .setSince(StreamPosition.newBuilder().setEpoch("e")))
                        .build());
        for (int i = 0; i < 20_000; i++) {
            byte[] f;
            if (i % 2 == 0) {
                f = valid.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    f[random.nextInt(f.length)] = (byte) random.nextInt(256);
                }
            } else {
                f = new byte[1 + random.nextInt(64)];
                random.nextBytes(f);
            }
            try {
                CODEC.decode(f);
            } catch (ProtocolException expected) {
                // the only way a frame may fail
            }
        }
    }
}
