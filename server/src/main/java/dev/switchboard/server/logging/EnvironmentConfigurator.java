package dev.switchboard.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configuration of the process, found through {@code META-INF/services}: what
 * {@link LogSetup#fromEnvironment} reads, so that lines written before the config file is read
 * (an unknown environment variable, a Redis wait) have the same format as the rest. {@code serve}
 * applies the full {@code log} section once the config is loaded.
 */
public final class EnvironmentConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LogSetup.apply(context, LogSetup.fromEnvironment(System.getenv()));
        // No logback.xml lookup and no BasicConfigurator after this one.
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
