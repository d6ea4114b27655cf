package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the HTTP server API over a real socket, as a backend would. */
public final class ApiClient {

    /** A response: status and parsed body. */
    public record Response(int status, JsonNode body) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    public ApiClient(String base, String key) {
        this.base = base;
        this.key = key;
    }

    public Response call(String method, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/" + method))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (key != null) {
                b.header("X-API-Key", key);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isEmpty() ? null : ProtocolCodec.mapper().readTree(r.body());
            return new Response(r.statusCode(), body);
        } catch (Exception e) {
            throw new AssertionError("API call " + method + " failed", e);
        }
    }

    /** Publishes and returns the result object, failing on any error. */
    public JsonNode publish(String channel, String dataJson) {
        Response r = call("publish", "{\"channel\":\"" + channel + "\",\"data\":" + dataJson + "}");
        if (r.status() != 200 || r.body().has("error")) {
            throw new AssertionError("publish failed: " + r);
        }
        return r.body().get("result");
    }
}
