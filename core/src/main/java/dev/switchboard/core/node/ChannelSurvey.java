package dev.switchboard.core.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide channel counts: asks every live node (a control message), each answers with its
 * own channels (a message to the asking node), and the answers are summed. Subscriptions live in
 * each node's memory, not in the engine, so a survey is the only way to learn them (Centrifugo's
 * {@code channels} API does the same).
 *
 * <p>The answer is complete when every node the registry listed has answered; after
 * {@link #TIMEOUT} it is what arrived (a node that died since its last heartbeat must not hold
 * the caller).
 */
final class ChannelSurvey {

    private static final Logger log = LoggerFactory.getLogger(ChannelSurvey.class);

    /** How long a survey waits for the other nodes' answers. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * Most channels one node puts in its answer, so one answer stays a bounded message; a
     * pattern narrows the list.
     */
    static final int MAX_CHANNELS_PER_NODE = 10_000;
    /** Surveys waiting for answers at once; more fail at once rather than queue up. */
    static final int MAX_PENDING = 64;

    static final String CONTROL_OP = "channels_survey";
    static final String ANSWER_TYPE = "channels_answer";

    private final Node node;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private static final class Pending {
        final Set<String> waitingFor;
        final Map<String, Integer> counts;
        final CompletableFuture<Map<String, Integer>> result = new CompletableFuture<>();

        Pending(Set<String> waitingFor, Map<String, Integer> counts) {
            this.waitingFor = waitingFor;
            this.counts = counts;
        }
    }

    ChannelSurvey(Node node) {
        this.node = node;
    }

    /** Channels matching {@code pattern} on every live node, with their subscriber counts summed. */
    CompletableFuture<Map<String, Integer>> channels(String pattern) {
        Map<String, Integer> local = node.channels(pattern);
        return node.registry().nodes().thenCompose(nodes -> {
            Set<String> others = new HashSet<>();
            for (NodeInfo n : nodes) {
                if (!n.id().equals(node.options().id())) {
                    others.add(n.id());
                }
            }
            if (others.isEmpty()) {
                return CompletableFuture.completedFuture(local);
            }
            if (pending.size() >= MAX_PENDING) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("too many channel surveys in progress"));
            }
            String id = UUID.randomUUID().toString();
            Pending p = new Pending(others, new TreeMap<>(local));
            pending.put(id, p);
            node.scheduler().schedule(() -> expire(id), TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ObjectNode ask = ProtocolCodec.mapper().createObjectNode();
            ask.put("op", CONTROL_OP);
            ask.put("id", id);
            ask.put("from", node.options().id());
            ask.put("pattern", pattern == null ? "" : pattern);
            node.broker().publishControl(ProtocolCodec.toBytes(ask)).exceptionally(e -> {
                Pending gone = pending.remove(id);
                if (gone != null) {
                    gone.result.completeExceptionally(e);
                }
                return null;
            });
            return p.result;
        });
    }

    /** Another node's survey: answer it with this node's channels. */
    void answer(JsonNode ask) {
        String from = ask.path("from").asText("");
        if (from.isEmpty() || from.equals(node.options().id())) {
            return;
        }
        Map<String, Integer> mine;
        try {
            mine = node.channels(ask.path("pattern").asText(""));
        } catch (IllegalArgumentException e) {
            mine = Map.of();
        }
        ObjectNode reply = ProtocolCodec.mapper().createObjectNode();
        reply.put("t", ANSWER_TYPE);
        reply.put("id", ask.path("id").asText(""));
        reply.put("node", node.options().id());
        ObjectNode channels = reply.putObject("channels");
        Iterator<Map.Entry<String, Integer>> it = mine.entrySet().iterator();
        for (int i = 0; i < MAX_CHANNELS_PER_NODE && it.hasNext(); i++) {
            Map.Entry<String, Integer> e = it.next();
            channels.put(e.getKey(), e.getValue());
        }
        node.broker().publishToNode(from, ProtocolCodec.toBytes(reply));
    }

    /** One node's answer to a survey of ours. */
    void answered(JsonNode answer) {
        Pending p = pending.get(answer.path("id").asText(""));
        if (p == null) {
            return; // Late, after the timeout: the caller already has its answer.
        }
        boolean done;
        synchronized (p) {
            if (!p.waitingFor.remove(answer.path("node").asText(""))) {
                return;
            }
            answer.path("channels").fields().forEachRemaining(e -> {
                if (e.getValue().canConvertToInt()) {
                    p.counts.merge(e.getKey(), e.getValue().intValue(), Integer::sum);
                }
            });
            done = p.waitingFor.isEmpty();
        }
        if (done && pending.remove(answer.path("id").asText(""), p)) {
            complete(p);
        }
    }

    private void expire(String id) {
        Pending p = pending.remove(id);
        if (p != null) {
            synchronized (p) {
                log.debug("channel survey {}: no answer from {} within {}", id, p.waitingFor, TIMEOUT);
            }
            complete(p);
        }
    }

    private static void complete(Pending p) {
        Map<String, Integer> out;
        synchronized (p) {
            out = new TreeMap<>(p.counts);
        }
        p.result.complete(out);
    }
}
