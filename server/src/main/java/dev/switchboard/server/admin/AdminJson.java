package dev.switchboard.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.transport.http.HttpAnswer;

/** The admin API's small JSON needs: quoting, reading the login body, its error shape. */
final class AdminJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {}

    static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A text field of a JSON object body, or {@code null} when the body is not such an object. */
    static String textField(byte[] body, String field) {
        try {
            JsonNode tree = MAPPER.readTree(body);
            JsonNode v = tree == null ? null : tree.get(field);
            return v != null && v.isTextual() ? v.textValue() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** An error in the server API's shape, {@code {"error":{"code":status,"message":...}}}. */
    static HttpAnswer error(int status, String message) {
        return HttpAnswer.json(status, "{\"error\":{\"code\":" + status + ",\"message\":" + quote(message) + "}}");
    }
}
