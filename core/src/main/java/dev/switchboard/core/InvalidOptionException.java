package dev.switchboard.core;

/**
 * A core builder refused an option value. Carries the option's name separately from the
 * problem, so that a caller binding its own configuration keys onto the builders (the server's
 * key table) can say which of its keys is wrong without parsing message text.
 *
 * <pre>{@code
 * try {
 *     NodeOptions.builder().pingInterval(Duration.ZERO);
 * } catch (InvalidOptionException e) {
 *     e.option();   // "ping_interval"
 *     e.problem();  // "must be > 0"
 *     e.getMessage(); // "ping_interval must be > 0"
 * }
 * }</pre>
 */
public class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final String problem;

    /**
     * @param option the core's name of the option, snake_case ({@code pong_timeout})
     * @param problem what is wrong, written to follow the option name ({@code "must be > 0, got -1"})
     */
    public InvalidOptionException(String option, String problem) {
        super(option + " " + problem);
        this.option = option;
        this.problem = problem;
    }

    /** The core's name of the refused option, snake_case. */
    public String option() {
        return option;
    }

    /** What is wrong, without the option name. */
    public String problem() {
        return problem;
    }
}
