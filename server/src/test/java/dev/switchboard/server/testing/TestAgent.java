package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent speaking the invocation convention over a raw WebSocket: it answers
 * {@code sb_invoke} messages with {@code sb_result} sends. Methods: {@code echo} returns its
 * data, {@code whoami} returns the agent's name, {@code fail} answers error 4001, {@code hang}
 * never answers.
 */
public final class TestAgent implements AutoCloseable {

    private final WsTestClient ws;
    private final String name;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger answered = new AtomicInteger();
    private final Thread loop;
    public final String clientId;

    public TestAgent(String url, String user, String routingKey, String name) {
        this.name = name;
        this.ws = WsTestClient.open(url);
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String token = TestServers.tokens()
                .signClaims("{\"sub\":\"" + user + "\",\"exp\":" + exp
                        + (routingKey == null ? "" : ",\"routing_key\":\"" + routingKey + "\"") + "}");
        this.clientId = ws.connect(token).at("/connect/client").asText();
        this.loop = new Thread(this::serve, "agent-" + name);
        loop.setDaemon(true);
        loop.start();
    }

    private void serve() {
        while (running.get() && ws.isOpen()) {
            JsonNode n = ws.poll(Duration.ofMillis(100));
            if (n == null) {
                continue;
            }
            JsonNode inv = n.at("/push/message/data/sb_invoke");
            if (inv.isMissingNode()) {
                continue;
            }
            String id = inv.get("id").asText();
            String method = inv.get("method").asText();
            String reply = switch (method) {
                case "echo" ->
                    "{\"id\":\"" + id + "\",\"data\":"
                            + (inv.has("data") ? inv.get("data").toString() : "null") + "}";
                case "whoami" -> "{\"id\":\"" + id + "\",\"data\":\"" + name + "\"}";
                case "fail" -> "{\"id\":\"" + id + "\",\"error\":{\"code\":4001,\"message\":\"quota exceeded\"}}";
                default -> null;
            };
            if (reply != null) {
                ws.send("{\"send\":{\"data\":{\"sb_result\":" + reply + "}}}");
                answered.incrementAndGet();
            }
        }
    }

    public int answered() {
        return answered.get();
    }

    public boolean isOpen() {
        return ws.isOpen();
    }

    @Override
    public void close() {
        running.set(false);
        ws.close();
    }
}
