package dev.switchboard.server.abuse;

import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Row 7: a ~92 KB {@code POST /api/batch} of 2,000 {@code history} calls with {@code limit: -1} on
 * a channel holding 100 publications of 30 KB (a 6 GB answer if built). History {@code limit: -1}
 * must be capped and the batch response bounded by the API's response budget (4 MiB,
 * {@code ApiExecutor.DEFAULT_MAX_RESPONSE_BYTES}): 200 with per-command errors 106 (limit
 * exceeded) past the budget, or 400 — never an OOM, and an innocent API call still succeeds.
 */
class HistoryBatchAttackIT {

    @RegisterExtension
    static final HostileNodeExtension NODE = new HostileNodeExtension();

    static final long MAX_RESPONSE = 4L << 20;

    @Test
    void batchOfUnlimitedHistoryReadsIsBoundedAndSparesOtherCalls() {
        HostileNode node = NODE.node();
        ApiClient api = new ApiClient(node.apiUrl(), TestServers.API_KEY);
        String payload = "\"" + "h".repeat(30_000) + "\"";
        for (int i = 0; i < 100; i++) {
            api.publish("hoard", payload);
        }
        StringBuilder batch = new StringBuilder("{\"commands\":[");
        for (int i = 0; i < 2000; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"history\":{\"channel\":\"hoard\",\"limit\":-1}}");
        }
        byte[] body = batch.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        try (AttackWatch watch = AttackWatch.start(node, "row7-history-batch")) {
            RawHttp.Response r = RawHttp.api(node, "batch", body, Duration.ofSeconds(20), MAX_RESPONSE + (4 << 20));
            RawHttp.Response concurrent = RawHttp.api(
                    node, "publish", "{\"channel\":\"elsewhere\",\"data\":{\"ok\":true}}", Duration.ofSeconds(5));
            AttackWatch.report("ATTACK row7-history-batch request_bytes=" + body.length + " -> " + r);
            SoftAssertions s = new SoftAssertions();
            s.assertThat(r.status()).as("batch answer: %s", r).isIn(200, 400);
            s.assertThat(r.bodyBytes())
                    .as("batch response size, bytes (response budget 4 MiB): %s", r)
                    .isLessThanOrEqualTo(MAX_RESPONSE + 65536);
            if (r.status() == 200) {
                s.assertThat(r.text())
                        .as("a 200 batch answer carries per-command errors 106 past the budget")
                        .contains("\"code\":106");
            }
            s.assertThat(concurrent.status())
                    .as("an innocent publish right after the batch: %s", concurrent)
                    .isEqualTo(200);
            watch.assertUnaffected(s);
            s.assertAll();
        }
    }
}
