package dev.switchboard.transport.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the body of {@code POST /api}: Centrifugo's first server API form, still served by
 * Centrifugo v6 and sent by cent.js's {@code pipeline()}. One JSON object per command,
 * {@code {"id":1,"method":"publish","params":{...}}}, separated by newlines (any whitespace, as
 * Centrifugo's stream decoder takes). {@code id} is optional; {@code method} is a name, in any
 * case, or the number of Centrifugo's legacy method enum.
 *
 * <p>A command that cannot run gets its error in its own line, as Centrifugo answers an unknown
 * method number; the whole request is refused (400) only when the body is not a sequence of
 * JSON objects, and then before any command runs.
 */
final class ApiCommandLines {

    /** Centrifugo's legacy {@code Command.MethodType} numbers; {@code rpc} (10) is not served. */
    private static final String[] METHOD_NUMBERS = {
        "publish",
        "broadcast",
        "unsubscribe",
        "disconnect",
        "presence",
        "presence_stats",
        "history",
        "history_remove",
        "channels",
        "info",
        "rpc",
        "subscribe",
        "refresh"
    };

    private static final long MAX_ID = 0xFFFF_FFFFL;

    private ApiCommandLines() {}

    /**
     * @return one command per object, in order
     * @throws BadRequestException when the body is empty, not UTF-8, or not a sequence of objects
     */
    static List<ApiBatch.Command> parse(byte[] body, ApiMethods methods) {
        List<ObjectNode> lines = RequestJson.readObjects(body);
        if (lines.isEmpty()) {
            throw new BadRequestException("no commands: send one {\"method\",\"params\"} object per line");
        }
        List<ApiBatch.Command> out = new ArrayList<>(lines.size());
        for (ObjectNode line : lines) {
            out.add(command(line, methods));
        }
        return out;
    }

    private static ApiBatch.Command command(ObjectNode line, ApiMethods methods) {
        JsonNode idNode = line.get("id");
        long id = 0;
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isIntegralNumber() || idNode.asLong() < 0 || idNode.asLong() > MAX_ID) {
                return bad(0, "id must be an integer from 0 to " + MAX_ID);
            }
            id = idNode.asLong();
        }
        String name = methodName(line.get("method"));
        if (name == null) {
            return bad(id, "method must be a method name");
        }
        ApiOutcome.Method method = methods.get(name);
        if (method == null) {
            return ApiBatch.Command.failed(id, ProtocolError.METHOD_NOT_FOUND);
        }
        JsonNode params = line.get("params");
        if (params == null || params.isNull()) {
            params = JsonNodeFactory.instance.objectNode();
        }
        if (!params.isObject()) {
            return bad(id, "params must be an object");
        }
        return new ApiBatch.Command(id, name, method, new Params((ObjectNode) params), null);
    }

    /** The method's name, {@code ""} for an unknown number, {@code null} when absent or of another type. */
    private static String methodName(JsonNode method) {
        if (method == null) {
            return null;
        }
        if (method.isTextual()) {
            return method.asText().toLowerCase(Locale.ROOT);
        }
        if (method.isIntegralNumber()) {
            long n = method.asLong();
            return n >= 0 && n < METHOD_NUMBERS.length ? METHOD_NUMBERS[(int) n] : "";
        }
        return null;
    }

    private static ApiBatch.Command bad(long id, String what) {
        return ApiBatch.Command.failed(id, ProtocolError.BAD_REQUEST.withMessage("bad request: " + what));
    }
}
