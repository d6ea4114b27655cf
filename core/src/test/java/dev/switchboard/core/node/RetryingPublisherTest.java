package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.protocol.ProtocolError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryingPublisherTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> keys = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private RetryingPublisher.Target failingTimes(int failures, ProtocolError error) {
        return (ch, data, params) -> {
            keys.add(params.idempotencyKey());
            return calls.incrementAndGet() <= failures
                    ? CompletableFuture.failedFuture(error)
                    : CompletableFuture.completedFuture(new StreamPosition(calls.get(), "e"));
        };
    }

    private RetryingPublisher publisher(RetryingPublisher.Target t, int threshold) {
        return RetryingPublisher.builder(t, scheduler)
                .maxAttempts(4)
                .initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(20))
                .failureThreshold(threshold)
                .openDuration(Duration.ofMillis(300))
                .build();
    }

    @Test
    void temporaryFailuresAreRetriedWithTheSameIdempotencyKey() {
        StreamPosition pos = publisher(failingTimes(2, ProtocolError.INTERNAL), 10)
                .publish("c", new byte[] {'1'}, PublishParams.DEFAULT)
                .join();
        assertThat(pos.offset()).isEqualTo(3);
        assertThat(keys).hasSize(3).doesNotContainNull();
        assertThat(keys).containsOnly(keys.get(0));
    }

    @Test
    void permanentErrorsAreNotRetried() {
        assertThatThrownBy(() -> publisher(failingTimes(5, ProtocolError.UNKNOWN_CHANNEL), 10)
                        .publish("c", new byte[] {'1'}, PublishParams.DEFAULT)
                        .join())
                .hasCauseReference(ProtocolError.UNKNOWN_CHANNEL);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void openBreakerFailsAtOnceThenLetsAProbeThrough() throws Exception {
        RetryingPublisher p = publisher(failingTimes(4, ProtocolError.INTERNAL), 4);
        assertThatThrownBy(() ->
                        p.publish("c", new byte[] {'1'}, PublishParams.DEFAULT).join())
                .hasCauseInstanceOf(ProtocolError.class);
        assertThat(p.isOpen()).isTrue();
        int before = calls.get();
        assertThatThrownBy(() ->
                        p.publish("c", new byte[] {'1'}, PublishParams.DEFAULT).join())
                .hasCauseReference(RetryingPublisher.CIRCUIT_OPEN);
        assertThat(calls.get()).isEqualTo(before);
        Thread.sleep(350);
        assertThat(p.publish("c", new byte[] {'1'}, PublishParams.DEFAULT)
                        .join()
                        .offset())
                .isEqualTo(5);
        assertThat(p.isOpen()).isFalse();
    }

    @Test
    void callerKeyIsKept() {
        publisher(failingTimes(1, ProtocolError.INTERNAL), 10)
                .publish(
                        "c",
                        new byte[] {'1'},
                        PublishParams.builder().idempotencyKey("mine").build())
                .join();
        assertThat(keys).containsOnly("mine");
    }
}
