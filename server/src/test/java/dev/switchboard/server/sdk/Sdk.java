package dev.switchboard.server.sdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.server.testing.TestServers;
import io.github.centrifugal.centrifuge.Client;
import io.github.centrifugal.centrifuge.ConnectedEvent;
import io.github.centrifugal.centrifuge.DisconnectedEvent;
import io.github.centrifugal.centrifuge.EventListener;
import io.github.centrifugal.centrifuge.MessageEvent;
import io.github.centrifugal.centrifuge.Options;
import io.github.centrifugal.centrifuge.PublicationEvent;
import io.github.centrifugal.centrifuge.ResultCallback;
import io.github.centrifugal.centrifuge.SubscribedEvent;
import io.github.centrifugal.centrifuge.Subscription;
import io.github.centrifugal.centrifuge.SubscriptionEventListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Helpers for driving centrifuge-java in tests: event queues, callbacks as futures, a session. */
final class Sdk {

    static final long WAIT_SECONDS = 10;

    private Sdk() {}

    /**
     * Events of one client, in arrival order. With {@code answerSums}, it answers every invocation
     * (a {@code message} push carrying {@code sb_invoke}) with the sum of the numbers in its data,
     * the few lines of app code a stock SDK needs.
     */
    static final class Events extends EventListener {
        final CompletableFuture<ConnectedEvent> connected = new CompletableFuture<>();
        final BlockingQueue<DisconnectedEvent> disconnected = new LinkedBlockingQueue<>();
        final boolean answerSums;

        Events() {
            this(false);
        }

        Events(boolean answerSums) {
            this.answerSums = answerSums;
        }

        @Override
        public void onConnected(Client client, ConnectedEvent event) {
            connected.complete(event);
        }

        @Override
        public void onDisconnected(Client client, DisconnectedEvent event) {
            disconnected.add(event);
        }

        @Override
        public void onMessage(Client client, MessageEvent event) {
            if (!answerSums) {
                return;
            }
            try {
                JsonNode call = ProtocolCodec.mapper().readTree(event.getData()).get("sb_invoke");
                int sum = 0;
                for (JsonNode n : call.get("data")) {
                    sum += n.asInt();
                }
                String answer = "{\"sb_result\":{\"id\":\"" + call.get("id").asText() + "\",\"data\":" + sum + "}}";
                client.send(answer.getBytes(UTF_8), err -> {});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Events of one subscription. */
    static final class SubEvents extends SubscriptionEventListener {
        final BlockingQueue<SubscribedEvent> subscribed = new LinkedBlockingQueue<>();
        final BlockingQueue<PublicationEvent> publications = new LinkedBlockingQueue<>();

        @Override
        public void onSubscribed(Subscription sub, SubscribedEvent event) {
            subscribed.add(event);
        }

        @Override
        public void onPublication(Subscription sub, PublicationEvent event) {
            publications.add(event);
        }
    }

    /** A connected client with one subscription, subscribed. */
    static final class Session implements AutoCloseable {
        final Events events;
        final SubEvents subEvents = new SubEvents();
        final Client client;
        final Subscription sub;
        final ConnectedEvent connected;
        final SubscribedEvent subscribed;

        Session(String url, String user, String channel) throws Exception {
            this(url, user, channel, new Events());
        }

        Session(String url, String user, String channel, Events events) throws Exception {
            this.events = events;
            client = new Client(url, options(user), events);
            sub = client.newSubscription(channel, subEvents);
            sub.subscribe();
            client.connect();
            connected = await(events.connected);
            subscribed = take(subEvents.subscribed, "subscribed");
        }

        @Override
        public void close() throws InterruptedException {
            client.close(1000);
        }
    }

    static Options options(String user) {
        Options opts = new Options();
        opts.setToken(TestServers.token(user));
        return opts;
    }

    static <T> T take(BlockingQueue<T> q, String what) throws InterruptedException {
        T v = q.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(v).as(what).isNotNull();
        return v;
    }

    static <T> ResultCallback<T> into(CompletableFuture<T> f) {
        return (err, result) -> {
            if (err != null) {
                f.completeExceptionally(err);
            } else {
                f.complete(result);
            }
        };
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static String data(PublicationEvent e) {
        return new String(e.getData(), UTF_8);
    }
}
