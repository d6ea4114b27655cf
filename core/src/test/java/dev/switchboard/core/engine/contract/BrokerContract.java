package dev.switchboard.core.engine.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} promises, written once and run against each engine (memory:
 * {@code MemoryBrokerContractTest}; Redis: {@code RedisBrokerContractIT}).
 *
 * <p>Delivery may be asynchronous, so effects on the handler are awaited (bounded). That a
 * publication is <em>not</em> delivered is proven with a later publication on the same channel
 * (per-channel order means an unwanted one would have arrived first), never by sleeping.
 *
 * <p>What engines legitimately do differently stays out: a single-node engine delivers node
 * messages whatever the node id and has no other nodes; history TTL granularity (Redis rounds up
 * to seconds and expires the whole stream, memory each entry) is only tested for one entry;
 * gap filling and epoch reset after a rollback are Redis-only.
 */
public abstract class BrokerContract extends ContractSupport {

    /** Short enough to wait for on real time; Redis rounds TTLs up to whole seconds. */
    protected static final Duration SHORT_TTL = Duration.ofSeconds(1);

    private static final Duration LONG_TTL = Duration.ofMinutes(5);
    private static final Duration META_TTL = Duration.ofHours(1);
    private static final HistoryFilter ALL = new HistoryFilter(null, HistoryFilter.NO_LIMIT, false);
    private static final String CH = "chat:lobby";

    protected final RecordingHandler handler = new RecordingHandler();
    protected Broker broker;

    /**
     * A new broker under test, not started, on storage no other test uses (its own Redis key
     * prefix). Resources besides the broker go through {@link #closeAfterTest}.
     */
    protected abstract Broker newBroker();

    /** The node id the broker from {@link #newBroker()} runs as. */
    protected abstract String nodeId();

    @BeforeEach
    void startBroker() {
        broker = newBroker();
        broker.start(handler);
        closeAfterTest(broker);
    }

    private static PublishOptions history(int size) {
        return new PublishOptions(size, LONG_TTL, META_TTL, null, null, null, null);
    }

    private static PublishOptions idempotent(String key, Duration keyTtl) {
        return new PublishOptions(10, LONG_TTL, META_TTL, null, null, key, keyTtl);
    }

    private static PublishOptions noHistory() {
        return new PublishOptions(0, Duration.ZERO, META_TTL, null, null, null, null);
    }

    private StreamPosition publish(String channel, String data, PublishOptions o) {
        return broker.publish(channel, bytes(data), o).join();
    }

    private HistoryResult history(String channel, HistoryFilter filter) {
        return broker.history(channel, filter).join();
    }

    private List<Long> offsets(HistoryFilter filter) {
        return history(CH, filter).publications().stream()
                .map(Publication::offset)
                .toList();
    }

    private String publishSix() {
        String epoch = null;
        for (int i = 1; i <= 6; i++) {
            epoch = publish(CH, "\"" + i + "\"", history(10)).epoch();
        }
        return epoch;
    }

    // ---- offsets and epochs ----

    @Test
    void publishesGetGapFreeIncreasingOffsetsInOneStableEpoch() {
        List<StreamPosition> positions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            positions.add(publish(CH, "{}", history(10)));
        }
        assertThat(positions).extracting(StreamPosition::offset).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(positions)
                .extracting(StreamPosition::epoch)
                .containsOnly(positions.get(0).epoch());
        assertThat(positions.get(0).epoch()).isNotEmpty();
        assertThat(history(CH, HistoryFilter.POSITION_ONLY).position()).isEqualTo(positions.get(4));
    }

    @Test
    void eachChannelCountsItsOwnOffsets() {
        publish("a", "{}", history(10));
        publish("a", "{}", history(10));
        assertThat(publish("b", "{}", history(10)).offset()).isEqualTo(1);
        assertThat(publish("a", "{}", history(10)).offset()).isEqualTo(3);
    }

    @Test
    void concurrentPublishersGetEveryOffsetExactlyOnce() throws Exception {
        int threads = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(publish(CH, "{}", history(1000)).offset());
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                all.addAll(f.get());
            }
            assertThat(all)
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.rangeClosed(1, threads * each).boxed().toList());
            assertThat(offsets(ALL)).isSorted().hasSize(threads * each);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void untouchedChannelIsAtOffsetZeroAndItsFirstPublicationKeepsTheEpochReadersSaw() {
        StreamPosition before = history(CH, HistoryFilter.POSITION_ONLY).position();
        assertThat(before.offset()).isZero();
        assertThat(before.epoch()).isNotEmpty();
        assertThat(history(CH, ALL).position())
                .as("a second read sees the same epoch")
                .isEqualTo(before);

        assertThat(publish(CH, "{}", history(10))).isEqualTo(new StreamPosition(1, before.epoch()));
    }

    @Test
    void publicationWithoutHistoryHasNoOffsetAndLeavesTheStreamAlone() {
        StreamPosition withHistory = publish(CH, "{}", history(10));
        assertThat(publish(CH, "{}", noHistory())).isEqualTo(new StreamPosition(0, ""));

        HistoryResult h = history(CH, ALL);
        assertThat(h.position()).isEqualTo(withHistory);
        assertThat(h.publications()).extracting(Publication::offset).containsExactly(1L);
    }

    @Test
    void streamWhosePositionExpiredStartsOverInANewEpoch() {
        PublishOptions shortLived = new PublishOptions(10, SHORT_TTL, SHORT_TTL, null, null, null, null);
        StreamPosition first = publish(CH, "{}", shortLived);
        publish(CH, "{}", shortLived);

        elapse(SHORT_TTL.plusMillis(1));
        StreamPosition restarted = eventually()
                .until(
                        () -> history(CH, HistoryFilter.POSITION_ONLY).position(),
                        p -> !p.epoch().equals(first.epoch()));
        assertThat(restarted.offset()).isZero();
        assertThat(publish(CH, "{}", history(10))).isEqualTo(new StreamPosition(1, restarted.epoch()));
    }

    @Test
    void positionAReadCreatesLivesAsLongAsTheReaderSays() {
        HistoryFilter shortLived = HistoryFilter.POSITION_ONLY.withMetaTtl(SHORT_TTL);
        StreamPosition first = history(CH, shortLived).position();
        assertThat(first.offset()).isZero();

        elapse(SHORT_TTL.plusMillis(1));
        StreamPosition next = eventually()
                .until(() -> history(CH, shortLived).position(), p -> !p.epoch().equals(first.epoch()));
        assertThat(next.offset())
                .as("a read of a channel nobody publishes to holds nothing for long")
                .isZero();
    }

    // ---- history ----

    @Test
    void historyReturnsDataInfoAndTagsAsPublished() {
        ClientInfo publisher = clientInfo("c1", "42");
        PublishOptions o =
                new PublishOptions(10, LONG_TTL, META_TTL, publisher, Map.of("k", "v", "kind", "note"), null, null);
        publish(CH, "{\"text\":\"hi ✓\"}", o);
        publish(CH, "{\"text\":\"server\"}", history(10));

        List<Publication> pubs = history(CH, ALL).publications();
        assertThat(pubs).hasSize(2);
        Publication p = pubs.get(0);
        assertThat(text(p.data())).isEqualTo("{\"text\":\"hi ✓\"}");
        assertThat(p.tags()).isEqualTo(Map.of("k", "v", "kind", "note"));
        assertThat(p.time()).isPositive();
        assertSameInfo(p.info(), publisher);
        assertThat(pubs.get(1).info()).as("published by the server").isNull();
        assertThat(pubs.get(1).tags()).isEmpty();
    }

    @Test
    void historyReadsForwardAfterSinceUpToTheLimit() {
        String epoch = publishSix();
        assertThat(offsets(new HistoryFilter(null, 2, false))).containsExactly(1L, 2L);
        assertThat(offsets(new HistoryFilter(new StreamPosition(3, epoch), 2, false)))
                .containsExactly(4L, 5L);
        assertThat(offsets(new HistoryFilter(new StreamPosition(3, epoch), HistoryFilter.NO_LIMIT, false)))
                .containsExactly(4L, 5L, 6L);
        assertThat(offsets(new HistoryFilter(new StreamPosition(6, epoch), HistoryFilter.NO_LIMIT, false)))
                .as("nothing after the top")
                .isEmpty();
    }

    @Test
    void historyReadsNewestFirstBeforeSinceWhenReversed() {
        String epoch = publishSix();
        assertThat(offsets(new HistoryFilter(null, 2, true))).containsExactly(6L, 5L);
        assertThat(offsets(new HistoryFilter(null, HistoryFilter.NO_LIMIT, true)))
                .containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
        assertThat(offsets(new HistoryFilter(new StreamPosition(4, epoch), HistoryFilter.NO_LIMIT, true)))
                .containsExactly(3L, 2L, 1L);
        assertThat(offsets(new HistoryFilter(new StreamPosition(4, epoch), 1, true)))
                .containsExactly(3L);
    }

    @Test
    void limitZeroReturnsOnlyThePositionAndNoLimitReturnsEverything() {
        publishSix();
        HistoryResult positionOnly = history(CH, HistoryFilter.POSITION_ONLY);
        assertThat(positionOnly.publications()).isEmpty();
        assertThat(positionOnly.position().offset()).isEqualTo(6);

        HistoryResult all = history(CH, ALL);
        assertThat(all.publications()).extracting(Publication::offset).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(all.position()).isEqualTo(positionOnly.position());
    }

    @Test
    void historyKeepsOnlyTheNewestPublicationsUpToItsSize() {
        for (int i = 0; i < 5; i++) {
            publish(CH, "{}", history(3));
        }
        HistoryResult h = history(CH, ALL);
        assertThat(h.publications()).extracting(Publication::offset).containsExactly(3L, 4L, 5L);
        assertThat(h.position().offset()).isEqualTo(5);
    }

    @Test
    void historyExpiresAfterItsTtlButThePositionStays() {
        StreamPosition published =
                publish(CH, "{}", new PublishOptions(10, SHORT_TTL, META_TTL, null, null, null, null));
        assertThat(history(CH, ALL).publications()).hasSize(1);

        elapse(SHORT_TTL.plusMillis(1));
        eventually().until(() -> history(CH, ALL).publications().isEmpty());
        assertThat(history(CH, HistoryFilter.POSITION_ONLY).position()).isEqualTo(published);
    }

    @Test
    void removeHistoryDropsThePublicationsAndKeepsThePosition() {
        publish(CH, "{}", history(10));
        StreamPosition top = publish(CH, "{}", history(10));

        broker.removeHistory(CH).join();
        HistoryResult h = history(CH, ALL);
        assertThat(h.publications()).isEmpty();
        assertThat(h.position()).isEqualTo(top);
        assertThat(publish(CH, "{}", history(10))).isEqualTo(new StreamPosition(3, top.epoch()));
        broker.removeHistory("never-used").join();
    }

    // ---- idempotency ----

    @Test
    void repeatedIdempotencyKeyReturnsTheFirstResultAndPublishesNothing() {
        broker.subscribe(CH).join();
        StreamPosition first = publish(CH, "\"once\"", idempotent("k1", null));
        StreamPosition again = publish(CH, "\"twice\"", idempotent("k1", null));
        assertThat(again).isEqualTo(first);
        publish(CH, "\"after\"", history(10));

        eventually().until(() -> handler.texts(CH).contains("\"after\""));
        assertThat(handler.texts(CH)).containsExactly("\"once\"", "\"after\"");
        assertThat(history(CH, ALL).publications())
                .extracting(p -> text(p.data()))
                .containsExactly("\"once\"", "\"after\"");
    }

    @Test
    void idempotencyKeysOfDifferentChannelsDoNotCollide() {
        StreamPosition a = publish("a", "{}", idempotent("k1", null));
        StreamPosition b = publish("b", "{}", idempotent("k1", null));
        assertThat(b.offset()).isEqualTo(1);
        assertThat(b.epoch()).isNotEqualTo(a.epoch());
        assertThat(history("b", ALL).publications()).hasSize(1);
    }

    @Test
    void idempotencyKeyIsForgottenAfterItsTtl() {
        assertThat(publish(CH, "{}", idempotent("k1", SHORT_TTL)).offset()).isEqualTo(1);
        assertThat(publish(CH, "{}", idempotent("k1", SHORT_TTL)).offset()).isEqualTo(1);

        elapse(SHORT_TTL.plusMillis(1));
        eventually().until(() -> publish(CH, "{}", idempotent("k1", SHORT_TTL)).offset() == 2);
        assertThat(history(CH, ALL).publications()).hasSize(2);
    }

    // ---- delivery ----

    @Test
    void subscribedNodeReceivesEveryPublicationInOffsetOrderWithItsPosition() {
        broker.subscribe(CH).join();
        List<CompletableFuture<StreamPosition>> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(broker.publish(CH, bytes(Integer.toString(i)), history(1000)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();

        eventually().until(() -> handler.publications.size() >= 100);
        assertThat(handler.offsets(CH))
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(handler.texts(CH))
                .containsExactlyElementsOf(
                        LongStream.range(0, 100).mapToObj(Long::toString).toList());
        String epoch = sent.get(0).join().epoch();
        assertThat(handler.publications).allSatisfy(d -> {
            assertThat(d.position())
                    .isEqualTo(new StreamPosition(d.publication().offset(), epoch));
        });
    }

    @Test
    void deliveredPublicationCarriesDataInfoAndTags() {
        broker.subscribe(CH).join();
        ClientInfo publisher = clientInfo("c1", "42");
        broker.publish(
                        CH,
                        bytes("{\"n\":1}"),
                        new PublishOptions(0, Duration.ZERO, META_TTL, publisher, Map.of("k", "v"), null, null))
                .join();

        eventually().until(() -> handler.publications.size() == 1);
        Publication p = handler.publications.get(0).publication();
        assertThat(p.offset()).isZero();
        assertThat(text(p.data())).isEqualTo("{\"n\":1}");
        assertThat(p.tags()).isEqualTo(Map.of("k", "v"));
        assertSameInfo(p.info(), publisher);
        assertThat(handler.publications.get(0).position()).isEqualTo(new StreamPosition(0, ""));
    }

    @Test
    void onlyPublicationsAfterSubscribingAreDelivered() {
        publish(CH, "\"before\"", history(10));
        publish("other", "\"elsewhere\"", history(10));
        broker.subscribe(CH).join();
        publish(CH, "\"after\"", history(10));

        eventually().until(() -> handler.texts(CH).contains("\"after\""));
        assertThat(handler.texts(CH)).containsExactly("\"after\"");
        assertThat(handler.offsets(CH)).containsExactly(2L);
        assertThat(handler.texts("other")).isEmpty();
    }

    @Test
    void unsubscribedChannelIsNoLongerDelivered() {
        broker.subscribe(CH).join();
        publish(CH, "\"a\"", history(10));
        eventually().until(() -> handler.texts(CH).contains("\"a\""));

        broker.unsubscribe(CH).join();
        publish(CH, "\"while away\"", history(10));
        broker.subscribe(CH).join();
        publish(CH, "\"c\"", history(10));

        eventually().until(() -> handler.texts(CH).contains("\"c\""));
        assertThat(handler.texts(CH)).containsExactly("\"a\"", "\"c\"");
        assertThat(handler.insufficientState).isEmpty();
    }

    @Test
    void subscribingTwiceDeliversEachPublicationOnce() {
        broker.subscribe(CH).join();
        broker.subscribe(CH).join();
        publish(CH, "\"a\"", history(10));
        publish(CH, "\"b\"", noHistory());

        eventually().until(() -> handler.texts(CH).contains("\"b\""));
        assertThat(handler.texts(CH)).containsExactly("\"a\"", "\"b\"");
        broker.unsubscribe("never-subscribed").join();
    }

    @Test
    void repeatedIdempotencyKeyWithoutHistoryIsDeliveredOnce() {
        broker.subscribe(CH).join();
        PublishOptions o = new PublishOptions(0, Duration.ZERO, META_TTL, null, null, "k1", null);
        assertThat(publish(CH, "\"once\"", o)).isEqualTo(new StreamPosition(0, ""));
        assertThat(publish(CH, "\"twice\"", o)).isEqualTo(new StreamPosition(0, ""));
        publish(CH, "\"after\"", noHistory());

        eventually().until(() -> handler.texts(CH).contains("\"after\""));
        assertThat(handler.texts(CH)).containsExactly("\"once\"", "\"after\"");
    }

    @Test
    void joinAndLeaveReachTheSubscribedNodeInOrder() {
        broker.subscribe(CH).join();
        ClientInfo who = clientInfo("c1", "42");
        broker.publishJoin(CH, who).join();
        broker.publishLeave(CH, who).join();
        broker.publishJoin("other", who).join();

        eventually().until(() -> handler.joinsAndLeaves.size() >= 2);
        assertThat(handler.joinsAndLeaves)
                .extracting(RecordingHandler.Presence::kind, RecordingHandler.Presence::channel)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("join", CH),
                        org.assertj.core.groups.Tuple.tuple("leave", CH));
        assertSameInfo(handler.joinsAndLeaves.get(0).info(), who);
        assertSameInfo(handler.joinsAndLeaves.get(1).info(), who);
    }

    @Test
    void messageToThisNodeReachesItsHandler() {
        broker.publishToNode(nodeId(), bytes("{\"call\":1}")).join();
        broker.publishToNode(nodeId(), bytes("{\"call\":2}")).join();

        eventually().until(() -> handler.nodeMessages.size() >= 2);
        assertThat(handler.nodeMessages)
                .extracting(ContractSupport::text)
                .containsExactly("{\"call\":1}", "{\"call\":2}");
    }

    @Test
    void controlMessageReachesThisNodeToo() {
        broker.publishControl(bytes("{\"disconnect\":\"42\"}")).join();

        eventually().until(() -> handler.controls.size() >= 1);
        assertThat(handler.controls).extracting(ContractSupport::text).containsExactly("{\"disconnect\":\"42\"}");
    }

    @Test
    void startedBrokerIsHealthy() {
        eventually().until(broker::healthy);
    }
}
