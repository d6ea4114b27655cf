package dev.switchboard.spring;

import dev.switchboard.transport.SwitchboardServer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Starts the {@link SwitchboardServer} when the application context has been refreshed and stops
 * it when the context closes, so that clients connect only once every bean their hooks use
 * exists, and are told to reconnect elsewhere (3001) while those beans still do.
 *
 * <p>Once started, the bound port (the real one when {@code switchboard.port=0}) is the
 * property {@value #PORT_PROPERTY}, as Spring Boot does with {@code local.server.port}:
 *
 * <pre>{@code
 * @Value("${local.switchboard.port}") int switchboardPort;
 * // or: switchboardServer.port()
 * }</pre>
 *
 * <p>With {@code switchboard.auto-startup=false} the context does not start it; call
 * {@link #start()} when the application is ready (after a cache warm-up, say). A stopped server
 * cannot start again: {@link #start()} after {@link #stop()} throws.
 */
public final class SwitchboardLifecycle implements SmartLifecycle {

    /** The property holding the bound port once the server has started. */
    public static final String PORT_PROPERTY = "local.switchboard.port";

    /**
     * Starts after Boot's web server ({@code DEFAULT_PHASE - 2048}) and before beans of the default
     * phase, such as message listeners that publish through the node; stops in the reverse order,
     * so those listeners are stopped before the node they publish to.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final String PROPERTY_SOURCE = "switchboard.local";

    private final SwitchboardServer server;
    private final Environment environment;
    private final boolean autoStartup;
    private volatile boolean running;
    private volatile boolean stopped;

    /**
     * @param environment where {@value #PORT_PROPERTY} is published, when it is configurable
     * @param autoStartup whether the context starts the server ({@code switchboard.auto-startup})
     */
    public SwitchboardLifecycle(SwitchboardServer server, Environment environment, boolean autoStartup) {
        this.server = Objects.requireNonNull(server, "server");
        this.environment = environment;
        this.autoStartup = autoStartup;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        if (stopped) {
            throw new IllegalStateException("a stopped Switchboard server cannot start again; refresh a new context");
        }
        server.start();
        running = true;
        publishPort(server.port());
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        running = false;
        server.close(); // graceful: clients get 3001, waits at most switchboard.shutdown_timeout
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void publishPort(int port) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return;
        }
        MutablePropertySources sources = configurable.getPropertySources();
        PropertySource<?> existing = sources.get(PROPERTY_SOURCE);
        if (existing instanceof MapPropertySource map) {
            map.getSource().put(PORT_PROPERTY, port);
        } else {
            Map<String, Object> values = new HashMap<>();
            values.put(PORT_PROPERTY, port);
            sources.addFirst(new MapPropertySource(PROPERTY_SOURCE, values));
        }
    }
}
