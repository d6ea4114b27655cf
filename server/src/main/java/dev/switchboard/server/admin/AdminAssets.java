package dev.switchboard.server.admin;

import dev.switchboard.transport.http.HttpAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The page's three files, read from the jar once ({@code dev/switchboard/server/admin/}): no CDN,
 * no bundle, nothing fetched from elsewhere, so the page works on a network without the internet
 * and {@code Content-Security-Policy: default-src 'self'} holds.
 */
final class AdminAssets {

    /** Path below {@code /admin} → file name and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/admin.js", new String[] {"admin.js", "text/javascript; charset=utf-8"},
            "/admin.css", new String[] {"admin.css", "text/css; charset=utf-8"});

    private final Map<String, HttpAnswer> answers;

    private AdminAssets(Map<String, HttpAnswer> answers) {
        this.answers = answers;
    }

    /** @throws UncheckedIOException when a file is missing from the jar (a broken build) */
    static AdminAssets load() {
        Map<String, HttpAnswer> m = new java.util.HashMap<>();
        FILES.forEach((path, file) -> m.put(path, new HttpAnswer(200, file[1], Map.of(), read(file[0]))));
        return new AdminAssets(Map.copyOf(m));
    }

    /** The answer for a path below {@code /admin} ({@code /}, {@code /admin.js}), if it is a file of the page. */
    Optional<HttpAnswer> get(String path) {
        return Optional.ofNullable(answers.get(path));
    }

    private static byte[] read(String name) {
        try (InputStream in = AdminAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("admin page file missing from the jar: " + name));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
