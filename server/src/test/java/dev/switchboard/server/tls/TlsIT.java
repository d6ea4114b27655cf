package dev.switchboard.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.admin.AdminPage;
import dev.switchboard.server.testing.ExternalTools;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.StandbyServer;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.config.AdminConfig;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ServerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the public port with real certificates made by {@code openssl} in a temporary directory,
 * real sockets and the JDK's TLS client: {@code wss://} works, plain {@code ws://} does not, a
 * replaced certificate reaches new connections while open ones keep working, a broken replacement
 * changes nothing, and a peer that never finishes its handshake is cut.
 */
class TlsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private String openssl;
    private Path ca;
    private Path caKey;

    @BeforeEach
    void ca() throws Exception {
        openssl = ExternalTools.findExecutable("openssl", "OPENSSL");
        ExternalTools.requirePrerequisite(
                "tls", openssl != null, "openssl not found on PATH (or OPENSSL): needed to make test certificates");
        ca = dir.resolve("ca.pem");
        caKey = dir.resolve("ca.key");
        run(
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                caKey.toString(),
                "-out",
                ca.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=Switchboard Test CA");
    }

    @Test
    void wssWorksPlainDoesNotAndAReplacedCertificateReachesNewConnectionsOnly() throws Exception {
        // First pair: an RSA key in PKCS#1 (BEGIN RSA PRIVATE KEY), the chain with the CA after the leaf.
        Path certFile = dir.resolve("fullchain.pem");
        Path keyFile = dir.resolve("privkey.pem");
        Leaf one = leaf("node-one", 1001, List.of("genrsa", "-traditional", "2048"));
        assertThat(Files.readString(one.key)).contains("BEGIN RSA PRIVATE KEY");
        install(one, certFile, keyFile);

        // With the admin page, which shares the TLS port when there is no internal_port.
        AdminConfig admin =
                AdminConfig.builder().enabled(true).password("tls-admin-pw").build();
        try (SwitchboardServer server =
                TestServers.start(tlsYaml(certFile, keyFile, "200ms"), b -> AdminPage.install(b, admin))) {
            String wss = "wss://127.0.0.1:" + server.port() + "/connection/websocket";
            assertThat(server.describe().get("websocket")).isEqualTo(wss);
            assertThat(server.describe().get("api")).isEqualTo("https://127.0.0.1:" + server.port() + "/api/");

            WsTestClient first = WsTestClient.open(wss, trustingClient());
            JsonNode reply = first.connect(TestServers.token("alice"));
            assertThat(reply.path("connect").path("client").asText()).isNotEmpty();
            assertThat(served(server).getSerialNumber()).isEqualTo(BigInteger.valueOf(1001));
            assertThat(served(server).getSubjectX500Principal().getName()).isEqualTo("CN=node-one");

            // The admin session cookie, set over TLS, is Secure: a browser never sends it over plain HTTP.
            HttpResponse<String> login = trustingClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("https://127.0.0.1:" + server.port() + "/admin/api/login"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"tls-admin-pw\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
                    .contains("; HttpOnly; SameSite=Strict")
                    .endsWith("; Secure");

            // Plain WebSocket (and HTTP) to the TLS port: the handshake fails, nothing is served.
            assertThatThrownBy(() -> WsTestClient.open(TestServers.wsUrl(server)))
                    .isNotNull();

            // Renewal: a new leaf (EC, PKCS#8) written over the files in place.
            Leaf two = leaf(
                    "node-two", 2002, List.of("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"));
            install(two, certFile, keyFile);
            awaitServedSerial(server, 2002);
            assertThat(served(server).getSubjectX500Principal().getName()).isEqualTo("CN=node-two");
            assertThat(server.tls().orElseThrow().current().certificate().getSerialNumber())
                    .isEqualTo(BigInteger.valueOf(2002));

            // The connection made before the renewal still works, on its old session.
            first.send("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
            assertThat(first.reply(2).has("error")).isFalse();
            // And a new client connects with the new certificate (hostname checked against its SAN).
            try (WsTestClient second = WsTestClient.open(wss, trustingClient())) {
                assertThat(second.connect(TestServers.token("bob"))
                                .path("connect")
                                .has("client"))
                        .isTrue();
            }

            // Broken replacements: garbage, then a certificate with another certificate's key.
            Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n");
            Thread.sleep(1000);
            assertThat(served(server).getSerialNumber()).isEqualTo(BigInteger.valueOf(2002));
            Files.writeString(certFile, Files.readString(one.cert) + Files.readString(ca));
            Files.copy(two.key, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(1000);
            assertThat(served(server).getSerialNumber()).isEqualTo(BigInteger.valueOf(2002));
            first.send("{\"id\":3,\"unsubscribe\":{\"channel\":\"news\"}}");
            assertThat(first.reply(3).has("error")).isFalse();

            // The expiry gauge follows the certificate served.
            Gauge expiry = server.meterRegistry()
                    .find("switchboard.tls.certificate.expiry")
                    .gauge();
            assertThat(expiry).isNotNull();
            assertThat((long) expiry.value())
                    .isEqualTo(readCert(two.cert).getNotAfter().getTime() / 1000);
            first.close();
        }
    }

    /** A client we did not write: centrifuge-js from Node over {@code wss://}, trusting the CA with {@code ws}'s {@code ca}. */
    @Test
    void centrifugeJsConnectsOverWssWithTheCaOption() throws Exception {
        Path root = ExternalTools.repoRoot();
        Path conformance = root == null ? null : root.resolve("conformance");
        String node = ExternalTools.findExecutable("node", "NODE");
        ExternalTools.requirePrerequisite("tls", node != null, "node not found on PATH (or NODE)");
        ExternalTools.requirePrerequisite(
                "tls", ExternalTools.nodeMajorVersion(node) >= 18, "node at " + node + " is older than 18");
        ExternalTools.requirePrerequisite(
                "tls",
                conformance != null
                        && Files.isDirectory(conformance.resolve("node_modules/centrifuge"))
                        && Files.isDirectory(conformance.resolve("node_modules/ws")),
                "conformance/node_modules missing: run `npm ci` in conformance/");
        Path certFile = dir.resolve("fullchain.pem");
        Path keyFile = dir.resolve("privkey.pem");
        install(leaf("node-one", 1001, List.of("genrsa", "2048")), certFile, keyFile);
        try (SwitchboardServer server = TestServers.start(tlsYaml(certFile, keyFile, "5s"), b -> b)) {
            int exit = ExternalTools.runNodeTests(
                    "tls",
                    node,
                    conformance,
                    List.of("test/tls.test.mjs"),
                    Map.of(
                            "SWITCHBOARD_TLS_WS_URL",
                            "wss://127.0.0.1:" + server.port() + "/connection/websocket",
                            "SWITCHBOARD_TLS_CA_FILE",
                            ca.toString(),
                            "SWITCHBOARD_HMAC_SECRET",
                            TestServers.SECRET),
                    Duration.ofMinutes(2));
            assertThat(exit)
                    .as("node test/tls.test.mjs exit code (failures above)")
                    .isZero();
        }
    }

    @Test
    void aPeerThatNeverFinishesItsHandshakeIsCutAndCounted() throws Exception {
        Path certFile = dir.resolve("fullchain.pem");
        Path keyFile = dir.resolve("privkey.pem");
        install(leaf("node-one", 1001, List.of("genrsa", "2048")), certFile, keyFile);
        String yaml = tlsYaml(certFile, keyFile, "5s") + "  handshake_timeout: 500ms\n";
        try (SwitchboardServer server = TestServers.start(yaml, b -> b);
                Socket silent = new Socket()) {
            silent.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
            silent.setSoTimeout((int) WAIT.toMillis());
            long start = System.nanoTime();
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            Counter refused = server.meterRegistry()
                    .find("switchboard_http_refused")
                    .tag("reason", "tls_handshake_timeout")
                    .counter();
            assertThat(refused).isNotNull();
            awaitTrue(() -> refused.count() == 1.0);
            // Without internal_port, /metrics shares the port and its TLS: both meters are exported there.
            String metrics = trustingClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create("https://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .contains("switchboard_http_refused_total{reason=\"tls_handshake_timeout\"} 1.0")
                    .contains("switchboard_tls_certificate_expiry_seconds ");
        }
    }

    /** A node waiting for its engine holds the public port with TLS too, so checks over https see it alive. */
    @Test
    void theStandbyServerSpeaksTlsOnThePublicPort() throws Exception {
        Path certFile = dir.resolve("fullchain.pem");
        Path keyFile = dir.resolve("privkey.pem");
        install(leaf("node-one", 1001, List.of("genrsa", "2048")), certFile, keyFile);
        ServerConfig config = TestServers.config(TestServers.CONFIG_YAML + tlsYaml(certFile, keyFile, "5s"));
        try (StandbyServer standby = StandbyServer.start(config)) {
            var health = trustingClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + standby.port() + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            var ready = trustingClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + standby.port() + "/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
        }
    }

    @Test
    void badFilesAreRefusedAtLoadNamingTheKey() throws Exception {
        Leaf one = leaf("node-one", 1001, List.of("genrsa", "2048"));
        Leaf two = leaf("node-two", 2002, List.of("genrsa", "2048"));
        Path certFile = dir.resolve("fullchain.pem");
        Path keyFile = dir.resolve("privkey.pem");
        Files.copy(one.cert, certFile);
        Files.copy(two.key, keyFile);
        assertThatThrownBy(() -> TestServers.config(TestServers.CONFIG_YAML + tlsYaml(certFile, keyFile, "5s")))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.key_pem_file"))
                .hasMessageContaining("does not belong");

        // A SEC1 EC key (openssl ecparam's BEGIN EC PRIVATE KEY) is read like the token keys are:
        // with its own certificate it loads, with another's it is refused like any other key.
        Leaf sec1 = leaf("node-sec1", 3003, List.of("ecparam", "-name", "prime256v1", "-genkey", "-noout"));
        assertThat(Files.readString(sec1.key)).contains("BEGIN EC PRIVATE KEY");
        assertThat(TestServers.config(TestServers.CONFIG_YAML + tlsYaml(sec1.cert, sec1.key, "5s"))
                        .tls()
                        .enabled())
                .isTrue();
        assertThatThrownBy(() -> TestServers.config(TestServers.CONFIG_YAML + tlsYaml(certFile, sec1.key, "5s")))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.key_pem_file"))
                .hasMessageContaining("does not belong");
        Path encrypted = dir.resolve("encrypted.key");
        run(
                openssl,
                "pkcs8",
                "-topk8",
                "-in",
                sec1.key.toString(),
                "-out",
                encrypted.toString(),
                "-passout",
                "pass:secret");
        assertThatThrownBy(() -> TestServers.config(TestServers.CONFIG_YAML + tlsYaml(sec1.cert, encrypted, "5s")))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.key_pem_file"))
                .hasMessageContaining("openssl pkcs8 -topk8");

        // A wrong path to a large file (a log, an image) is refused, not read whole every reload.
        Path huge = dir.resolve("huge.pem");
        Files.write(huge, new byte[(1 << 20) + 1]);
        assertThatThrownBy(() -> TestServers.config(TestServers.CONFIG_YAML + tlsYaml(huge, keyFile, "5s")))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.cert_pem_file"))
                .hasMessageContaining("more than a PEM file holds");

        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TestServers.config(TestServers.CONFIG_YAML + tlsYaml(missing, keyFile, "5s")))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.cert_pem_file"));

        assertThatThrownBy(() -> TestServers.config(TestServers.CONFIG_YAML + "tls:\n  enabled: true\n"))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.cert_pem_file"));
    }

    // --- helpers ---

    private record Leaf(Path cert, Path key) {}

    /** A leaf for localhost and 127.0.0.1 signed by the test CA; {@code keyCommand} makes its key. */
    private Leaf leaf(String name, int serial, List<String> keyCommand) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        Path ext = dir.resolve(name + ".ext");
        List<String> gen = new ArrayList<>();
        gen.add(openssl);
        gen.add(keyCommand.get(0));
        gen.addAll(List.of("-out", key.toString())); // before genrsa's trailing key size
        gen.addAll(keyCommand.subList(1, keyCommand.size()));
        run(gen.toArray(String[]::new));
        run(openssl, "req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        Files.writeString(
                ext,
                "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                        + "extendedKeyUsage=serverAuth\n");
        run(
                openssl,
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                ca.toString(),
                "-CAkey",
                caKey.toString(),
                "-set_serial",
                Integer.toString(serial),
                "-days",
                "2",
                "-out",
                cert.toString(),
                "-extfile",
                ext.toString());
        return new Leaf(cert, key);
    }

    /** Writes the leaf's chain (leaf, then CA) and key over the served files. */
    private void install(Leaf leaf, Path certFile, Path keyFile) throws IOException {
        Files.writeString(keyFile, Files.readString(leaf.key));
        Files.writeString(certFile, Files.readString(leaf.cert) + Files.readString(ca));
    }

    private static String tlsYaml(Path cert, Path key, String reload) {
        return "tls:\n  enabled: true\n  cert_pem_file: \"" + cert + "\"\n  key_pem_file: \"" + key
                + "\"\n  reload_interval: " + reload + "\n";
    }

    private SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("test-ca", readCert(ca));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private HttpClient trustingClient() throws Exception {
        return HttpClient.newBuilder().sslContext(trusting()).build();
    }

    /** The certificate a brand-new connection is shown (a fresh client context: no session to resume). */
    private X509Certificate served(SwitchboardServer server) throws Exception {
        try (SSLSocket s = (SSLSocket) trusting().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private void awaitServedSerial(SwitchboardServer server, long serial) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        BigInteger want = BigInteger.valueOf(serial);
        while (!served(server).getSerialNumber().equals(want)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("certificate " + serial + " not served within " + WAIT);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(50);
        }
    }

    private static X509Certificate readCert(Path pem) throws Exception {
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(pem))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
    }
}
