package dev.switchboard.spring;

import dev.switchboard.core.node.Node;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ServerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * An embedded Switchboard node for a Spring Boot application: its {@link ServerConfig} from the
 * {@code switchboard.*} properties ({@link EnvironmentConfig}), the {@link SwitchboardServer} with
 * the application's {@link SwitchboardCustomizer}s and {@link MeterRegistry}, its {@link Node} for
 * application code, and the {@link SwitchboardLifecycle} that starts and stops it with the context.
 *
 * <p>Every bean backs off when the application defines its own of that type; the whole
 * configuration is off with {@code switchboard.enabled=false}.
 *
 * <pre>{@code
 * @Service
 * class Scores {
 *     private final Node node;
 *     Scores(Node node) { this.node = node; }
 *     void goal(String match, String json) {
 *         node.publish("scores:" + match, json.getBytes(StandardCharsets.UTF_8));
 *     }
 * }
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = EnvironmentConfig.PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
public class SwitchboardAutoConfiguration {

    /**
     * The node's configuration, from the {@code switchboard.*} properties. When the application
     * has a registry, the node's own {@code /metrics} is off unless {@code switchboard.metrics.enabled}
     * is set: it would serve the application's whole registry, unauthenticated, on the node's port,
     * and Actuator already exposes it.
     */
    @Bean
    @ConditionalOnMissingBean
    public ServerConfig switchboardConfig(Environment environment, ObjectProvider<MeterRegistry> meterRegistry) {
        ServerConfig config = EnvironmentConfig.bind(environment);
        boolean metricsSet = Binder.get(environment)
                .bind(EnvironmentConfig.PREFIX + ".metrics.enabled", Boolean.class)
                .isBound();
        if (!metricsSet && meterRegistry.getIfUnique() != null) {
            return config.toBuilder().metricsEnabled(false).build();
        }
        return config;
    }

    /**
     * The server, built but not started ({@link SwitchboardLifecycle} starts it). Its meters go to
     * the application's registry when there is exactly one (or a primary one, as Actuator's
     * composite is), else to its own Prometheus registry served at {@code /metrics} on its port.
     */
    @Bean
    @ConditionalOnMissingBean
    public SwitchboardServer switchboardServer(
            ServerConfig config,
            ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<SwitchboardCustomizer> customizers) {
        SwitchboardServer.Builder builder = SwitchboardServer.builder().config(config);
        meterRegistry.ifUnique(builder::meterRegistry);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        try {
            return builder.build();
        } catch (ConfigException e) {
            // Building checks what the properties alone cannot (engine: redis without switchboard-redis).
            throw EnvironmentConfig.named(e);
        }
    }

    /** The node, to publish, invoke and manage connections from application code. The server closes it. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public Node switchboardNode(SwitchboardServer server) {
        return server.node();
    }

    /** Starts the server with the context, unless {@code switchboard.auto-startup=false}. */
    @Bean
    @ConditionalOnMissingBean
    public SwitchboardLifecycle switchboardLifecycle(SwitchboardServer server, Environment environment) {
        boolean autoStartup = Binder.get(environment)
                .bind(EnvironmentConfig.PREFIX + ".auto-startup", Boolean.class)
                .orElse(true);
        return new SwitchboardLifecycle(server, environment, autoStartup);
    }
}
