package dev.switchboard.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The status of a plain GET on a node's port, for health and readiness checks in tests. */
public final class HttpStatus {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private HttpStatus() {}

    /** GET {@code http://127.0.0.1:<port><path>}: its status, or -1 when nothing answered in time. */
    public static int get(int port, String path, Duration timeout) {
        return get("http://127.0.0.1:" + port + path, timeout);
    }

    /** GET {@code url}: its status, or -1 when nothing answered in time. */
    public static int get(String url, Duration timeout) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(timeout)
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1; // refused, reset, or no answer within the timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
