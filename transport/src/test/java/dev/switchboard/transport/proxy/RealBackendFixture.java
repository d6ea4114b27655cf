package dev.switchboard.transport.proxy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/** A real HTTP backend ({@link TestBackend}) and proxy clients calling it, for tests of what a call carries. */
abstract class RealBackendFixture {

    final TestBackend backend;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .build();

    RealBackendFixture() throws Exception {
        backend = new TestBackend();
    }

    @AfterEach
    void stopBackend() {
        backend.close();
        executor.shutdownNow();
    }

    /** A client of {@code path} on the backend, with {@code b}'s options, enabled, a 2 s timeout. */
    ProxyClient client(String name, String path, ProxyConfig.Builder b) {
        return new ProxyClient(
                name,
                b.enabled(true)
                        .endpoint(backend.url(path))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                http,
                executor,
                new SimpleMeterRegistry(),
                System::nanoTime);
    }
}
