package dev.switchboard.transport;

/**
 * The engine could not be reached when the server was built (Redis down or not yet up). Unlike
 * other build failures this one passes by itself: the standalone app answers it by standing by
 * ({@link StandbyServer}) and trying again.
 */
public final class EngineUnavailableException extends IllegalStateException {

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
