package dev.switchboard.transport.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import org.junit.jupiter.api.Test;

/** {@code http_api.max_response_size} from the config file bounds what the running node answers. */
class ApiResponseSizeIT {

    @Test
    void aHistoryLargerThanTheConfiguredResponseSizeIsLimitExceeded() {
        try (SwitchboardServer server = TestServers.start("http_api:\n  max_response_size: 2KiB\n", b -> b)) {
            ApiClient api = new ApiClient(TestServers.apiUrl(server), TestServers.API_KEY);
            for (int i = 0; i < 3; i++) {
                api.publish("news", "\"" + "x".repeat(1000) + "\"");
            }
            ApiClient.Response one = api.call("history", "{\"channel\":\"news\",\"limit\":1}");
            assertThat(one.body().at("/result/publications").size()).isEqualTo(1);
            ApiClient.Response all = api.call("history", "{\"channel\":\"news\",\"limit\":-1}");
            assertThat(all.status()).isEqualTo(200);
            assertThat(all.body().at("/error/code").asInt()).isEqualTo(106);
            assertThat(all.body().at("/error/message").asText()).contains("larger than 2048");
        }
    }
}
