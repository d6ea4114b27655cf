package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsRenderingTest {

    @Test
    void aHangingScrapeHoldsOnlyItsBoundedQueueAndLaterScrapesAreRefusedNotPiledUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        List<CompletableFuture<String>> accepted = new ArrayList<>();
        try {
            accepted.add(MetricsRendering.render(() -> {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "slow";
            }));
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < MetricsRendering.MAX_WAITING; i++) {
                int n = i;
                accepted.add(MetricsRendering.render(() -> "queued-" + n));
            }
            CompletableFuture<String> refused = MetricsRendering.render(() -> "too many");
            assertThat(refused)
                    .isCompletedExceptionally()
                    .failsWithin(Duration.ZERO)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(RejectedExecutionException.class);
            assertThat(accepted).noneMatch(CompletableFuture::isDone);
        } finally {
            release.countDown();
        }
        assertThat(accepted.get(0)).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("slow");
        assertThat(accepted.get(MetricsRendering.MAX_WAITING))
                .succeedsWithin(Duration.ofSeconds(5))
                .isEqualTo("queued-" + (MetricsRendering.MAX_WAITING - 1));
    }
}
