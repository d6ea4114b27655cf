package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.server.testing.ExternalTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The properties of the shipped load-balancer configs that {@link LoadBalancerIT} cannot show in
 * its short run: idle timeouts above the node's ping interval plus pong timeout (an idle socket
 * would otherwise be cut), no stickiness, nothing but client transports proxied, and the nginx
 * {@code max_fails=0} that avoids the 502 trap its comments explain.
 */
class LoadBalancerConfigTest {

    /** The longest a healthy idle socket goes without traffic in both directions, with defaults. */
    private static final Duration QUIET = NodeOptions.DEFAULT_PING_INTERVAL.plus(NodeOptions.DEFAULT_PONG_TIMEOUT);

    @Test
    void nginxKeepsIdleSocketsProxiesOnlyClientTransportsAndNeverMarksNodesFailed() throws IOException {
        List<String> lines = directives("deploy/nginx/switchboard.conf");
        assertThat(seconds(lines, "proxy_read_timeout\\s+(\\d+)s;")).isGreaterThan(QUIET.toSeconds());
        assertThat(seconds(lines, "proxy_send_timeout\\s+(\\d+)s;")).isGreaterThan(QUIET.toSeconds());
        assertThat(lines).noneMatch(l -> l.matches("(ip_hash|hash|sticky)\\b.*"));
        assertThat(lines).filteredOn(l -> l.startsWith("proxy_pass ")).hasSize(1);
        assertThat(lines).contains("location /connection/ {", "proxy_buffering off;", "proxy_http_version 1.1;");
        assertThat(lines)
                .filteredOn(l -> l.startsWith("server 10."))
                .hasSize(3)
                .allMatch(l -> l.endsWith("max_fails=0;"));
    }

    @Test
    void haproxyKeepsIdleTunnelsChecksHealthAndHasNoStickiness() throws IOException {
        List<String> lines = directives("deploy/haproxy/switchboard.cfg");
        assertThat(seconds(lines, "timeout tunnel (\\d+)s")).isGreaterThan(QUIET.toSeconds());
        assertThat(lines).noneMatch(l -> l.matches("(cookie|stick-table|stick on|balance source|hash-type)\\b.*"));
        assertThat(lines).contains("balance leastconn", "option httpchk", "http-check expect status 200");
        assertThat(lines).anyMatch(l -> l.matches("http-check send meth GET uri /(health|ready)\\b.*"));
        assertThat(lines).contains("http-request deny deny_status 404 unless { path_beg /connection/ }");
        assertThat(lines)
                .filteredOn(l -> l.startsWith("server ") && l.endsWith(" check"))
                .hasSize(3);
    }

    /** The file's lines without comments and blank lines, trimmed. */
    private static List<String> directives(String path) throws IOException {
        Path root = ExternalTools.repoRoot();
        assertThat(root).as("repository root").isNotNull();
        return Files.readAllLines(root.resolve(path)).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static long seconds(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no line matching " + regex);
    }
}
