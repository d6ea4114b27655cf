package dev.switchboard.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One command a client sent: an id, a method and its parameters.
 *
 * <p>An empty JSON object is a pong ({@link #isPong()}): no id, no method.
 *
 * @param id the command id the reply must carry; {@code 0} when absent (only {@code send} and
 *     pong may omit it)
 * @param method the protocol field naming the command, e.g. {@code "subscribe"}; {@code null}
 *     for a pong
 * @param params the method's object; an empty object when absent
 */
public record Command(long id, Method method, JsonNode params) {

    /** Commands of protocol v2, by their JSON field name. */
    public enum Method {
        CONNECT("connect"),
        SUBSCRIBE("subscribe"),
        UNSUBSCRIBE("unsubscribe"),
        PUBLISH("publish"),
        PRESENCE("presence"),
        PRESENCE_STATS("presence_stats"),
        HISTORY("history"),
        PING("ping"),
        SEND("send"),
        RPC("rpc"),
        REFRESH("refresh"),
        SUB_REFRESH("sub_refresh");

        private final String field;

        Method(String field) {
            this.field = field;
        }

        /** The JSON field carrying this command and its reply. */
        public String field() {
            return field;
        }

        /** The method for a JSON field name, or {@code null}. */
        public static Method ofField(String name) {
            for (Method m : values()) {
                if (m.field.equals(name)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** A pong: the client's answer to a server ping. */
    public static final Command PONG = new Command(0, null, NullNode.getInstance());

    public boolean isPong() {
        return method == null;
    }

    /** A text parameter, or {@code ""} when absent or not text. */
    public String text(String field) {
        JsonNode n = params.get(field);
        return n != null && n.isTextual() ? n.asText() : "";
    }

    /** A boolean parameter, {@code false} when absent. */
    public boolean flag(String field) {
        JsonNode n = params.get(field);
        return n != null && n.asBoolean(false);
    }

    /** A non-negative integer parameter, {@code def} when absent. */
    public long number(String field, long def) {
        JsonNode n = params.get(field);
        return n != null && n.canConvertToLong() ? n.asLong() : def;
    }

    /** A raw JSON parameter ({@code data}), or {@code null} when absent. */
    public JsonNode json(String field) {
        JsonNode n = params.get(field);
        return n == null || n.isMissingNode() ? null : n;
    }
}
