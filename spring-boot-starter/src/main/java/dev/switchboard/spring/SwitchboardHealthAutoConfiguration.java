package dev.switchboard.spring;

import dev.switchboard.transport.SwitchboardServer;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code switchboard} health indicator, when the application has Actuator and a Switchboard
 * server. Off with {@code management.health.switchboard.enabled=false}.
 */
@AutoConfiguration(after = SwitchboardAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(SwitchboardServer.class)
public class SwitchboardHealthAutoConfiguration {

    /** Named so that Actuator lists it as {@code switchboard}. */
    @Bean
    @ConditionalOnMissingBean(name = "switchboardHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("switchboard")
    public SwitchboardHealthIndicator switchboardHealthIndicator(SwitchboardServer server) {
        return new SwitchboardHealthIndicator(server);
    }
}
