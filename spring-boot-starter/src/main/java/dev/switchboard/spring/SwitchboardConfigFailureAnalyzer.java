package dev.switchboard.spring;

import dev.switchboard.transport.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bad {@code switchboard.*} property into Boot's short startup report (what is wrong,
 * what to do) instead of a stack trace. The message names the property and never holds a
 * secret's value.
 */
class SwitchboardConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        String property = cause.key() == null ? "the switchboard.* properties" : cause.key();
        return new FailureAnalysis(
                "Invalid Switchboard configuration: " + cause.getMessage(),
                "Fix " + property + " in the application's configuration. Every key, its value syntax and default is"
                        + " listed in docs/configuration.md; under Spring Boot it is prefixed with 'switchboard.'.",
                cause);
    }
}
