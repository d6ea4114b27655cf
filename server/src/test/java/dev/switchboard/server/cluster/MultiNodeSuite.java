package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.redis.testing.RedisUnderTest;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in one JVM over a real Redis: delivery across nodes, cluster view, control. Runs
 * on one redis-server ({@link ClusterIT}) and on a Redis Cluster ({@link ClusterOnRedisClusterIT}).
 */
abstract class MultiNodeSuite {

    /** The Redis the nodes share. */
    abstract RedisUnderTest redis();

    TestCluster cluster;
    final List<WsTestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster = new TestCluster(redis().url(), 3);
    }

    @AfterEach
    void stop() {
        clients.forEach(WsTestClient::close);
        cluster.close();
    }

    private List<WsTestClient> subscribers(String channel, int n) {
        List<WsTestClient> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WsTestClient c = cluster.client("u" + i);
            c.send("{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}");
            assertThat(c.reply(2).has("subscribe")).isTrue();
            out.add(c);
        }
        clients.addAll(out);
        return out;
    }

    /** Asserts the client got offsets 1..n, each once, in order. */
    private static void assertReceivedAll(WsTestClient c, String channel, int n) {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            offsets.add(c.push(channel, "pub").get("offset").asLong());
        }
        List<Long> expected = new ArrayList<>();
        for (long o = 1; o <= n; o++) {
            expected.add(o);
        }
        assertThat(offsets).isEqualTo(expected);
    }

    @Test
    void everyClientReceivesEveryPublicationFromEveryNodeOnceAndInOrder() throws Exception {
        List<WsTestClient> subs = subscribers("feed", 9);
        int perSource = 50;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            int node = n;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perSource; i++) {
                    cluster.node(node)
                            .node()
                            .publish("feed", ("{\"from\":" + node + "}").getBytes(StandardCharsets.UTF_8))
                            .join();
                }
            }));
        }
        done.add(pool.submit(() -> {
            ApiClient api = cluster.api(1);
            for (int i = 0; i < perSource; i++) {
                api.publish("feed", "{\"from\":\"api\"}");
            }
        }));
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (WsTestClient c : subs) {
            assertReceivedAll(c, "feed", perSource * 4);
        }
    }

    @Test
    void killingThePubSubConnectionMidStreamLosesNothingAndDisconnectsNoOne() throws Exception {
        List<WsTestClient> subs = subscribers("stream", 6);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger published = new AtomicInteger();
        Thread publisher = new Thread(() -> {
            while (!stop.get() && published.get() < 2000) {
                cluster.node(published.get() % 3)
                        .node()
                        .publish("stream", "{}".getBytes(StandardCharsets.UTF_8))
                        .join();
                published.incrementAndGet();
            }
        });
        publisher.start();
        for (int k = 0; k < 3; k++) {
            Thread.sleep(300);
            redis().clientKillPubSub();
        }
        Thread.sleep(300);
        stop.set(true);
        publisher.join(10_000);
        for (WsTestClient c : subs) {
            assertReceivedAll(c, "stream", published.get());
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void infoListsEveryLiveNodeAndAClosedNodeLeavesAtOnce() {
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(cluster.api(0)
                                .call("info", "{}")
                                .body()
                                .at("/result/nodes")
                                .size())
                        .isEqualTo(3));
        cluster.node(2).close();
        cluster.nodes.remove(2);
        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(cluster.api(0)
                                .call("info", "{}")
                                .body()
                                .at("/result/nodes")
                                .size())
                        .isEqualTo(2));
    }

    @Test
    void channelsCountsTheSubscribersOfEveryNodeWhicheverNodeIsAsked() {
        subscribers("board-a", 3); // one on each node (round-robin)
        WsTestClient extra = cluster.client("u4");
        clients.add(extra);
        extra.send("{\"id\":2,\"subscribe\":{\"channel\":\"board-b\"}}");
        assertThat(extra.reply(2).has("subscribe")).isTrue();
        WsTestClient other = cluster.client("u5"); // a channel outside the pattern
        clients.add(other);
        other.send("{\"id\":2,\"subscribe\":{\"channel\":\"elsewhere\"}}");
        assertThat(other.reply(2).has("subscribe")).isTrue();
        for (int i = 0; i < 3; i++) {
            JsonNode channels = cluster.api(i)
                    .call("channels", "{\"pattern\":\"board-*\"}")
                    .body()
                    .at("/result/channels");
            assertThat(channels.size()).as("node %d: %s", i, channels).isEqualTo(2);
            assertThat(channels.at("/board-a/num_clients").asInt()).isEqualTo(3);
            assertThat(channels.at("/board-b/num_clients").asInt()).isEqualTo(1);
        }
    }

    @Test
    void deltasMadeOnEachNodeRebuildEveryDocumentPublishedOnAnother() {
        WsTestClient sub = cluster.client("delta-reader");
        clients.add(sub);
        sub.send("{\"id\":2,\"subscribe\":{\"channel\":\"doc:cluster\",\"delta\":\"fossil\"}}");
        assertThat(sub.reply(2).at("/subscribe/delta").asBoolean()).isTrue();
        List<String> published = new ArrayList<>();
        for (int v = 1; v <= 30; v++) {
            StringBuilder doc = new StringBuilder("{\"v\":" + v + ",\"rows\":[");
            for (int r = 0; r < 40; r++) {
                doc.append(r == 0 ? "" : ",")
                        .append("{\"row\":")
                        .append(r)
                        .append(",\"x\":")
                        .append(r == v % 40 ? v : r)
                        .append('}');
            }
            published.add(doc.append("]}").toString());
            cluster.api(v % 3).publish("doc:cluster", published.get(v - 1));
        }
        byte[] base = null;
        int deltas = 0;
        for (int v = 1; v <= 30; v++) {
            JsonNode pub = sub.push("doc:cluster", "pub");
            byte[] payload = pub.get("data").asText().getBytes(StandardCharsets.UTF_8);
            if (pub.path("delta").asBoolean()) {
                deltas++;
                base = dev.switchboard.core.protocol.FossilDelta.apply(base, payload);
            } else {
                base = payload;
            }
            assertThat(new String(base, StandardCharsets.UTF_8))
                    .as("version %d", v)
                    .isEqualTo(published.get(v - 1));
        }
        assertThat(deltas).as("all but the first came as deltas").isEqualTo(29);
    }

    @Test
    void aRegistryThatLostItsDataIsWrittenAgainByTheLiveNodes() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            WsTestClient c = WsTestClient.open(TestServers.wsUrl(cluster.node(i)));
            clients.add(c);
            ids.add(c.connect(TestServers.token("kept" + i))
                    .at("/connect/client")
                    .asText());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> allRegistered(ids));
        // Redis restarted empty, as far as the registry can tell: every key is gone.
        redis().flushAll();
        assertThat(allRegistered(ids)).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> allRegistered(ids));
        assertThat(cluster.api(0).call("info", "{}").body().at("/result/nodes").size())
                .isEqualTo(3);
    }

    private boolean allRegistered(List<String> ids) {
        return ids.stream()
                .allMatch(id -> cluster.node(0)
                        .node()
                        .connection(InvokeTarget.client(id))
                        .join()
                        .isPresent());
    }

    @Test
    void presenceIsTheSameFromEveryNode() {
        subscribers("room", 3);
        for (int i = 0; i < 3; i++) {
            ApiClient api = cluster.api(i);
            await().atMost(Duration.ofSeconds(3))
                    .untilAsserted(() -> assertThat(api.call("presence_stats", "{\"channel\":\"room\"}")
                                    .body()
                                    .at("/result/num_clients")
                                    .asInt())
                            .isEqualTo(3));
        }
    }

    @Test
    void disconnectAndUnsubscribeFromOneNodeReachConnectionsOnOthers() {
        List<WsTestClient> subs = subscribers("ctl", 3);
        // u2 is on node 2; ask node 0.
        cluster.api(0).call("unsubscribe", "{\"user\":\"u2\",\"channel\":\"ctl\"}");
        JsonNode unsub = subs.get(2).push("ctl", "unsubscribe");
        assertThat(unsub.get("code").asInt()).isEqualTo(2000);
        cluster.api(0).call("disconnect", "{\"user\":\"u1\",\"disconnect\":{\"code\":4501,\"reason\":\"bye\"}}");
        assertThat(subs.get(1).awaitClose()).isEqualTo(4501);
        assertThat(subs.get(0).isOpen()).isTrue();
    }
}
