package dev.switchboard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.config.ConfigException;
import dev.switchboard.transport.config.ServerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.util.ClassUtils;

/**
 * The auto-configuration's conditions, in contexts that are refreshed but never start the server
 * ({@code switchboard.auto-startup=false}): no socket is opened here, the IT does that.
 */
class SwitchboardAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SwitchboardAutoConfiguration.class, SwitchboardHealthAutoConfiguration.class))
            .withPropertyValues("switchboard.auto-startup=false", "switchboard.port=0");

    @Test
    void bothAutoConfigurationsAreRegisteredForBoot() {
        List<String> imports = ImportCandidates.load(
                        AutoConfiguration.class, getClass().getClassLoader())
                .getCandidates();
        assertThat(imports)
                .contains(
                        SwitchboardAutoConfiguration.class.getName(),
                        SwitchboardHealthAutoConfiguration.class.getName());
    }

    @Test
    void byDefaultTheConfigServerNodeLifecycleAndHealthIndicatorAreBeans() {
        runner.withPropertyValues("switchboard.node-name=web-1").run(ctx -> {
            assertThat(ctx)
                    .hasNotFailed()
                    .hasSingleBean(ServerConfig.class)
                    .hasSingleBean(SwitchboardServer.class)
                    .hasSingleBean(Node.class)
                    .hasSingleBean(SwitchboardLifecycle.class)
                    .hasBean("switchboardHealthIndicator");
            SwitchboardServer server = ctx.getBean(SwitchboardServer.class);
            assertThat(ctx.getBean(Node.class)).isSameAs(server.node());
            assertThat(server.config()).isSameAs(ctx.getBean(ServerConfig.class));
            assertThat(server.config().node().name()).isEqualTo("web-1");
            assertThat(ctx.getBean(SwitchboardLifecycle.class).isRunning()).isFalse();
            // No application registry: our own Prometheus one, served at /metrics on our port.
            assertThat(server.meterRegistry()).isInstanceOf(PrometheusMeterRegistry.class);
        });
    }

    @Test
    void switchboardEnabledFalseTurnsEverythingOff() {
        runner.withPropertyValues("switchboard.enabled=false").run(ctx -> {
            assertThat(ctx)
                    .hasNotFailed()
                    .doesNotHaveBean(ServerConfig.class)
                    .doesNotHaveBean(SwitchboardServer.class)
                    .doesNotHaveBean(Node.class)
                    .doesNotHaveBean("switchboardHealthIndicator");
        });
    }

    @Test
    void theApplicationsOwnConfigWinsOverTheProperties() {
        runner.withPropertyValues("switchboard.node-name=from-properties")
                .withBean(
                        ServerConfig.class,
                        () -> ServerConfig.builder()
                                .port(0)
                                .node(NodeOptions.builder().name("from-code").build())
                                .build())
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(ServerConfig.class);
                    assertThat(ctx.getBean(SwitchboardServer.class)
                                    .config()
                                    .node()
                                    .name())
                            .isEqualTo("from-code");
                });
    }

    @Test
    void theApplicationsOwnServerWinsAndItsNodeIsTheNodeBean() {
        SwitchboardServer own = SwitchboardServer.builder()
                .config(ServerConfig.builder()
                        .port(0)
                        .node(NodeOptions.builder().name("own").build())
                        .build())
                .build();
        runner.withBean(SwitchboardServer.class, () -> own).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(SwitchboardServer.class);
            assertThat(ctx.getBean(SwitchboardServer.class)).isSameAs(own);
            assertThat(ctx.getBean(Node.class)).isSameAs(own.node());
        });
        assertThat(own.node().isClosed()).as("closed with the context").isTrue();
    }

    @Test
    void customizersRunInOrderOnTheBuilderWithThePropertiesAlreadySet() {
        runner.withPropertyValues("switchboard.node-name=web-0")
                .withUserConfiguration(Customizers.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(Customizers.class).seen).containsExactly("first saw web-0", "second");
                    assertThat(ctx.getBean(SwitchboardServer.class)
                                    .config()
                                    .node()
                                    .name())
                            .isEqualTo("set-by-second");
                });
    }

    @Test
    void theApplicationsMeterRegistryGetsTheNodesMeters() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
            MeterRegistry app = ctx.getBean(MeterRegistry.class);
            assertThat(ctx.getBean(SwitchboardServer.class).meterRegistry()).isSameAs(app);
            assertThat(app.find("switchboard_clients").gauge()).isNotNull();
            assertThat(app.find("jvm.gc.pause").meters())
                    .as("JVM meters are the application's business")
                    .isEmpty();
        });
    }

    @Test
    void aBadPropertyFailsStartupNamingTheKey() {
        runner.withPropertyValues("switchboard.client.ping-interval=often").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("switchboard.client.ping_interval: must be a duration");
            FailureAnalysis analysis = new SwitchboardConfigFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("switchboard.client.ping_interval: must be a duration");
            assertThat(analysis.getAction()).contains("switchboard.client.ping_interval");
        });
    }

    /** The Redis engine is optional in the library, and so in the starter: the app adds switchboard-redis. */
    @Test
    void engineRedisWithoutTheRedisModuleFailsStartupNamingThePropertyAndTheArtifact() {
        assertThat(ClassUtils.isPresent("dev.switchboard.redis.RedisEngine", null))
                .as("this test needs switchboard-redis off the test class path")
                .isFalse();
        runner.withPropertyValues("switchboard.engine=redis").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("switchboard.engine: ")
                    .hasMessageContaining("dev.switchboard:switchboard-redis");
        });
    }

    @Test
    void withoutActuatorThereIsNoHealthIndicatorAndNoFailure() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(ctx -> {
            assertThat(ctx)
                    .hasNotFailed()
                    .hasSingleBean(SwitchboardServer.class)
                    .doesNotHaveBean("switchboardHealthIndicator");
        });
    }

    @Test
    void theHealthIndicatorFollowsActuatorsSwitch() {
        runner.withPropertyValues("management.health.switchboard.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean("switchboardHealthIndicator"));
    }

    @Test
    void theHealthIndicatorReportsTheNodeAndEngine() {
        runner.withPropertyValues("switchboard.node-name=web-2").run(ctx -> {
            var health = ctx.getBean("switchboardHealthIndicator", HealthIndicator.class)
                    .health();
            // These contexts never start the node: it is not serving, so not UP, whatever its engine says.
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails())
                    .containsEntry("node", "web-2")
                    .containsEntry("engine", "memory")
                    .containsEntry("engineStatus", "UP")
                    .containsEntry("clients", 0);
        });
    }

    @Test
    void anApplicationHealthIndicatorOfTheSameNameWins() {
        HealthIndicator own =
                () -> org.springframework.boot.actuate.health.Health.down().build();
        runner.withBean("switchboardHealthIndicator", HealthIndicator.class, () -> own)
                .run(ctx ->
                        assertThat(ctx.getBean("switchboardHealthIndicator")).isSameAs(own));
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        SwitchboardCustomizer second() {
            return b -> {
                seen.add("second");
                b.config(ServerConfig.builder()
                        .port(0)
                        .node(NodeOptions.builder().name("set-by-second").build())
                        .build());
            };
        }

        @Bean
        @Order(1)
        SwitchboardCustomizer first(ServerConfig config) {
            return b -> seen.add("first saw " + config.node().name());
        }
    }
}
