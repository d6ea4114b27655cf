package dev.switchboard.transport.api;

import static dev.switchboard.transport.api.ApiTestSupport.assertError;
import static dev.switchboard.transport.api.ApiTestSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api}: Centrifugo's newline-delimited {@code {"method","params"}} commands. */
class ApiCommandLinesTest {

    private final Node node = Node.builder()
            .options(NodeOptions.builder().channelRules(ApiTestSupport.rules()).build())
            .build()
            .start();
    private final ApiExecutor api = new ApiExecutor(node);

    @AfterEach
    void stop() {
        api.close();
        node.close();
    }

    private ApiResponse lines(String body) {
        return api.executeCommandLines(bytes(body))
                .orTimeout(5, TimeUnit.SECONDS)
                .join();
    }

    private static List<JsonNode> parse(ApiResponse r) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        // Split as cent.js does: every part must be JSON, so no trailing newline.
        for (String line : r.body().split("\n", -1)) {
            out.add(ProtocolCodec.mapper().readTree(line));
        }
        return out;
    }

    @Test
    void commandsRunInOrderAndEachAnswersALineWithItsId() throws IOException {
        ApiResponse r =
                lines("{\"id\":1,\"method\":\"publish\",\"params\":{\"channel\":\"chat:a\",\"data\":{\"n\":2.50}}}\n"
                        + "{\"method\":\"history\",\"params\":{\"channel\":\"chat:a\",\"limit\":1}}\n"
                        + "{\"id\":3,\"method\":\"PRESENCE_STATS\",\"params\":{\"channel\":\"chat:a\"}}\r\n"
                        + "  {\"id\":4294967295,\"method\":6,\"params\":{\"channel\":\"chat:a\"}}\n");
        assertThat(r.httpStatus()).isEqualTo(200);
        List<JsonNode> out = parse(r);
        assertThat(out).hasSize(4);
        assertThat(out.get(0).get("id").asLong()).isEqualTo(1);
        assertThat(out.get(0).at("/result/offset").asLong()).isEqualTo(1);
        assertThat(out.get(1).has("id")).as("no id asked, none echoed").isFalse();
        assertThat(r.body().split("\n")[1]).contains("\"data\":{\"n\":2.50}");
        assertThat(out.get(2).at("/result/num_clients").asInt()).isZero();
        assertThat(out.get(3).get("id").asLong()).as("uint32 ids").isEqualTo(4294967295L);
        assertThat(out.get(3).at("/result/offset").asLong())
                .as("method 6 of Centrifugo's legacy enum is history")
                .isEqualTo(1);
    }

    @Test
    void aCommandThatCannotRunGetsItsErrorInItsLineAndTheOthersRun() throws IOException {
        ApiResponse r = lines("{\"id\":1,\"method\":\"teleport\",\"params\":{}}\n"
                + "{\"id\":2,\"method\":\"batch\",\"params\":{\"commands\":[]}}\n"
                + "{\"id\":3,\"method\":10,\"params\":{}}\n"
                + "{\"id\":4,\"params\":{}}\n"
                + "{\"id\":5,\"method\":\"publish\",\"params\":[]}\n"
                + "{\"id\":6,\"method\":\"publish\",\"params\":{\"channel\":\"nope:a\",\"data\":{}}}\n"
                + "{\"id\":-1,\"method\":\"info\"}\n"
                + "{\"id\":8,\"method\":\"publish\",\"params\":{\"channel\":\"chat:b\",\"data\":{}}}");
        assertThat(r.httpStatus()).isEqualTo(200);
        List<JsonNode> out = parse(r);
        assertThat(out)
                .extracting(
                        n -> n.path("id").asLong() + ":" + n.at("/error/code").asInt())
                .containsExactly("1:104", "2:104", "3:104", "4:107", "5:107", "6:102", "0:107", "8:0");
        assertThat(out.get(7).at("/result/offset").asLong()).isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotJsonObjectsIs400AndRunsNothing() {
        String publish = "{\"method\":\"publish\",\"params\":{\"channel\":\"chat:c\",\"data\":1}}\n";
        assertError(lines(publish + "[1]"), 400, 107);
        assertError(lines(publish + "{\"method\":"), 400, 107);
        assertError(lines(" \n"), 400, 107);
        assertThat(ApiTestSupport.call(api, "history", "{\"channel\":\"chat:c\",\"limit\":-1}")
                        .body())
                .as("nothing ran")
                .contains("\"offset\":0}");
    }
}
