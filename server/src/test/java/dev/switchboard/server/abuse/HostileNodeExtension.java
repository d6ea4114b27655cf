package dev.switchboard.server.abuse;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link HostileNode} per test class ({@code @RegisterExtension static}), shared by that
 * class's tests and restarted before a test when an earlier one killed or wedged it.
 */
final class HostileNodeExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /** The timeouts the hardened node is configured with (the old jar refuses these keys). */
    static final String HTTP_TIMEOUTS =
            String.join("\n", "http:", "  idle_timeout: 3s", "  header_timeout: 2s", "  body_timeout: 3s", "");

    private final String extraYaml;
    private final String httpYaml;
    private HostileNode node;

    HostileNodeExtension(String extraYaml, String httpYaml) {
        this.extraYaml = extraYaml;
        this.httpYaml = httpYaml;
    }

    HostileNodeExtension() {
        this("", HTTP_TIMEOUTS);
    }

    HostileNode node() {
        return node;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        node = new HostileNode(context.getRequiredTestClass().getSimpleName(), extraYaml, httpYaml);
        node.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        node.ensureHealthy();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (node != null) {
            node.close();
        }
    }
}
