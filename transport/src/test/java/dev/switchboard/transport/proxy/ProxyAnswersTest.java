package dev.switchboard.transport.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.hook.ConnectDecision;
import dev.switchboard.core.hook.RefreshDecision;
import dev.switchboard.core.hook.SubscribeOptions;
import dev.switchboard.core.hook.SubscribeOverride;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Answers of Centrifugo's proxy protocol read into decisions, strictly. */
class ProxyAnswersTest {

    private static JsonNode json(String s) throws Exception {
        return ProtocolCodec.mapper().readTree(s);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void connectResultCarriesUserExpiryInfoDataAndChannels() throws Exception {
        ConnectDecision d = ConnectProxy.decode(
                json(
                        "{\"result\":{\"user\":\"56\",\"expire_at\":1900000000,"
                                + "\"info\":{\"name\":\"Ann\"},\"data\":{\"hello\":1},\"channels\":[\"news\"],\"subs\":{\"jobs:1\":{}}}}"));
        assertThat(d.error()).isNull();
        assertThat(d.userId()).isEqualTo("56");
        assertThat(d.expireAt()).isEqualTo(1900000000L);
        assertThat(str(d.info())).isEqualTo("{\"name\":\"Ann\"}");
        assertThat(str(d.data())).isEqualTo("{\"hello\":1}");
        assertThat(d.channels()).containsExactly("news");
        assertThat(d.subs()).containsOnlyKeys("jobs:1");
        assertThat(d.subs().get("jobs:1")).isEqualTo(SubscribeOptions.DEFAULT);
        assertThat(d.meta()).isNull();
    }

    @Test
    void connectSubsCarryInfoDataAndOverridePerChannelInOrder() throws Exception {
        String b64 = Base64.getEncoder().encodeToString("{\"s\":1}".getBytes(StandardCharsets.UTF_8));
        ConnectDecision d = ConnectProxy.decode(json("{\"result\":{\"user\":\"56\",\"subs\":{"
                + "\"jobs:2\":{\"info\":{\"role\":\"owner\"},\"data\":{\"progress\":40},"
                + "\"override\":{\"presence\":{\"value\":true},\"force_push_join_leave\":{\"value\":false}},"
                + "\"expire_at\":1900000000,\"cache_recover\":true},"
                + "\"jobs:1\":{\"b64data\":\"" + b64 + "\"},\"news\":null}}}"));
        assertThat(d.subs()).containsOnlyKeys("jobs:2", "jobs:1", "news");
        assertThat(d.subs().keySet()).as("the backend's order").containsExactly("jobs:2", "jobs:1", "news");
        SubscribeOptions o = d.subs().get("jobs:2");
        assertThat(str(o.info())).isEqualTo("{\"role\":\"owner\"}");
        assertThat(str(o.data())).isEqualTo("{\"progress\":40}");
        assertThat(o.override()).isEqualTo(new SubscribeOverride(true, null, false, null, null));
        assertThat(str(d.subs().get("jobs:1").data())).isEqualTo("{\"s\":1}");
        assertThat(d.subs().get("news")).isEqualTo(SubscribeOptions.DEFAULT);
    }

    @Test
    void connectAndRefreshMetaIsAnObjectKeptAsRawJson() throws Exception {
        ConnectDecision d = ConnectProxy.decode(json("{\"result\":{\"user\":\"56\",\"meta\":{\"tenant\":\"acme\"}}}"));
        assertThat(str(d.meta())).isEqualTo("{\"tenant\":\"acme\"}");
        assertThat(ConnectProxy.decode(json("{\"result\":{\"user\":\"56\",\"meta\":null}}"))
                        .meta())
                .isNull();
        RefreshDecision r =
                RefreshProxy.decode(json("{\"result\":{\"expire_at\":1900000000,\"meta\":{\"plan\":\"pro\"}}}"));
        assertThat(str(r.meta())).isEqualTo("{\"plan\":\"pro\"}");
        assertThat(RefreshProxy.decode(json("{\"result\":{\"expire_at\":1900000000}}"))
                        .meta())
                .as("absent: the connection keeps its meta")
                .isNull();
        for (String bad : new String[] {"\"acme\"", "[1]", "42", "true"}) {
            assertThatThrownBy(() -> ConnectProxy.decode(json("{\"result\":{\"user\":\"1\",\"meta\":" + bad + "}}")))
                    .as(bad)
                    .isInstanceOf(MalformedAnswerException.class);
            assertThatThrownBy(() -> RefreshProxy.decode(json("{\"result\":{\"expire_at\":1,\"meta\":" + bad + "}}")))
                    .as(bad)
                    .isInstanceOf(MalformedAnswerException.class);
        }
    }

    @Test
    void base64FieldsMustHoldJson() throws Exception {
        String b64 = Base64.getEncoder().encodeToString("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        ConnectDecision d = ConnectProxy.decode(json("{\"result\":{\"user\":\"1\",\"b64info\":\"" + b64 + "\"}}"));
        assertThat(str(d.info())).isEqualTo("{\"a\":1}");
        String notJson = Base64.getEncoder().encodeToString("\u0001binary".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ConnectProxy.decode(json("{\"result\":{\"b64data\":\"" + notJson + "\"}}")))
                .isInstanceOf(MalformedAnswerException.class);
    }

    @Test
    void errorAndDisconnectAnswers() throws Exception {
        ConnectDecision e =
                ConnectProxy.decode(json("{\"error\":{\"code\":1000,\"message\":\"custom\",\"temporary\":true}}"));
        assertThat(e.error().code()).isEqualTo(1000);
        assertThat(e.error().getMessage()).contains("custom");
        ConnectDecision d = ConnectProxy.decode(json("{\"disconnect\":{\"code\":4500,\"reason\":\"go away\"}}"));
        assertThat(d.disconnect().code()).isEqualTo(4500);
        assertThat(d.disconnect().reason()).isEqualTo("go away");
        assertThat(ConnectProxy.decode(json("{}")).error().code())
                .as("nothing vouches")
                .isEqualTo(101);
    }

    @Test
    void fieldsOfTheWrongTypeAreMalformed() {
        for (String bad : new String[] {
            "{\"result\":{\"user\":56}}",
            "{\"result\":{\"expire_at\":\"soon\"}}",
            "{\"result\":{\"channels\":\"news\"}}",
            "{\"result\":{\"subs\":[\"news\"]}}",
            "{\"result\":{\"subs\":{\"news\":\"yes\"}}}",
            "{\"result\":{\"subs\":{\"news\":{\"override\":{\"presence\":true}}}}}",
            "{\"result\":{\"subs\":{\"news\":{\"expire_at\":\"soon\"}}}}",
            "{\"result\":[]}",
            "{\"error\":{\"code\":0}}",
            "{\"disconnect\":{\"code\":1000}}",
        }) {
            assertThatThrownBy(() -> ConnectProxy.decode(json(bad)))
                    .as(bad)
                    .isInstanceOf(MalformedAnswerException.class);
        }
    }

    @Test
    void refreshAnswers() throws Exception {
        RefreshDecision ext = RefreshProxy.decode(json("{\"result\":{\"expire_at\":1900000000,\"info\":{\"v\":2}}}"));
        assertThat(ext.expired()).isFalse();
        assertThat(ext.expireAt()).isEqualTo(1900000000L);
        assertThat(str(ext.info())).isEqualTo("{\"v\":2}");
        assertThat(RefreshProxy.decode(json("{\"result\":{\"expired\":true}}")).expired())
                .isTrue();
        assertThat(RefreshProxy.decode(json("{}")).expired())
                .as("no result: expired, as Centrifugo")
                .isTrue();
        assertThat(RefreshProxy.decode(json("{\"disconnect\":{\"code\":4000,\"reason\":\"x\"}}"))
                        .disconnect()
                        .code())
                .isEqualTo(4000);
    }

    @Test
    void subscribeResultCarriesInfoStateDataExpiryAndOverrides() throws Exception {
        var a = CommandAnswer.decode(
                json("{\"result\":{\"info\":{\"r\":1},\"b64data\":\""
                        + Base64.getEncoder().encodeToString("{\"state\":2}".getBytes(StandardCharsets.UTF_8))
                        + "\",\"expire_at\":1900000000,\"override\":{\"presence\":{\"value\":false},"
                        + "\"force_recovery\":{\"value\":true}}}}"),
                SubscribeProxy::decode);
        var d = a.result();
        assertThat(str(d.chanInfo())).isEqualTo("{\"r\":1}");
        assertThat(str(d.data())).isEqualTo("{\"state\":2}");
        assertThat(d.expireAt()).isEqualTo(1900000000L);
        assertThat(d.override().presence()).isFalse();
        assertThat(d.override().forceRecovery()).isTrue();
        assertThat(d.override().joinLeave()).isNull();
        assertThat(CommandAnswer.decode(json("{}"), SubscribeProxy::decode)
                        .result()
                        .error())
                .as("no result: allowed with the channel's options, as Centrifugo")
                .isNull();
        assertThatThrownBy(() -> CommandAnswer.decode(
                        json("{\"result\":{\"override\":{\"presence\":true}}}"), SubscribeProxy::decode))
                .isInstanceOf(MalformedAnswerException.class);
    }

    @Test
    void commandAnswersReadDisconnectBeforeErrorBeforeResult() throws Exception {
        var a = CommandAnswer.decode(
                json("{\"disconnect\":{\"code\":4501,\"reason\":\"x\"},\"error\":{\"code\":1001}}"),
                PublishProxy::decode);
        assertThat(a.disconnect().code()).isEqualTo(4501);
        var e = CommandAnswer.decode(json("{\"error\":{\"code\":1001,\"message\":\"no\"}}"), PublishProxy::decode);
        assertThat(e.error().code()).isEqualTo(1001);
        var p = CommandAnswer.decode(
                        json("{\"result\":{\"data\":{\"x\":1},\"skip_history\":true}}"), PublishProxy::decode)
                .result();
        assertThat(str(p.data())).isEqualTo("{\"x\":1}");
        assertThat(p.skipHistory()).isTrue();
        assertThat(CommandAnswer.decode(json("{}"), PublishProxy::decode)
                        .result()
                        .data())
                .as("no result: what the client sent")
                .isNull();
    }
}
