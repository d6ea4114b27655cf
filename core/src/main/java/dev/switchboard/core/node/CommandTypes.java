package dev.switchboard.core.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.Command;
import dev.switchboard.core.protocol.ProtocolError;

/**
 * The {@code type} field of {@code subscribe} and {@code publish}, which selects Centrifugo's map
 * and shared poll channels. Switchboard serves stream channels only, so any other type is refused
 * with the error Centrifugo gives for a channel not configured for it. Taking such a command as a
 * stream command would "succeed" while dropping what it is about (a map publication's
 * {@code key}, a map's state pages).
 */
final class CommandTypes {

    /** {@code SubscribeRequest.type} 1, 2, 3: map, map of client presence, map of user presence. */
    private static final long LAST_MAP_SUBSCRIPTION = 3;
    /** {@code SubscribeRequest.type} 4: shared poll. */
    private static final long SHARED_POLL_SUBSCRIPTION = 4;
    /** {@code PublishRequest.type} 1: a map publish (with {@code key}) or removal ({@code removed}). */
    private static final long MAP_PUBLISH = 1;

    private CommandTypes() {}

    /**
     * Refuses a subscribe that is not to a stream: a map type with 107 (Centrifugo's answer when
     * the channel's options are not of that type), shared poll with 108 (its answer for a channel
     * that is not a shared poll channel), and a type no SDK sends with 107.
     */
    static void requireStreamSubscribe(Command cmd) {
        long type = type(cmd);
        if (type == 0) {
            return;
        }
        if (type == SHARED_POLL_SUBSCRIPTION) {
            throw ProtocolError.NOT_AVAILABLE.withMessage("not available: shared poll subscriptions are not supported");
        }
        if (type > 0 && type <= LAST_MAP_SUBSCRIPTION) {
            throw ProtocolError.BAD_REQUEST.withMessage("bad request: map subscriptions are not supported");
        }
        throw ProtocolError.BAD_REQUEST.withMessage("bad request: unknown subscription type");
    }

    /**
     * Refuses a publish that is not a stream publication: a map publish with 108, as Centrifugo
     * answers when no map publish handler is set; any other type with 107.
     */
    static void requireStreamPublish(Command cmd) {
        long type = type(cmd);
        if (type == 0) {
            return;
        }
        if (type == MAP_PUBLISH) {
            throw ProtocolError.NOT_AVAILABLE.withMessage("not available: map publications are not supported");
        }
        throw ProtocolError.BAD_REQUEST.withMessage("bad request: unknown publication type");
    }

    /** The {@code type}, 0 when absent or null; -1 (no type) when it is not an integer. */
    private static long type(Command cmd) {
        JsonNode type = cmd.json("type");
        if (type == null || type.isNull()) {
            return 0;
        }
        return type.isIntegralNumber() && type.canConvertToLong() ? type.asLong() : -1;
    }
}
