package dev.switchboard.wire;

/**
 * The server → client invocation convention, carried on the Centrifugo protocol's own
 * {@code message} push and {@code send} command (see {@code docs/protocol.md}).
 *
 * <p>Request, a {@code message} push: {@code {"sb_invoke":{"id":"…","method":"…","data":…}}}.
 * Answer, a {@code send} command: {@code {"sb_result":{"id":"…","data":…}}} or
 * {@code {"sb_result":{"id":"…","error":{"code":…,"message":"…"}}}}.
 *
 * <pre>{@code
 * JsonNode invoke = data.get(InvocationWire.REQUEST);
 * String method = invoke.path(InvocationWire.METHOD).asText();
 * }</pre>
 */
public final class InvocationWire {

    /** Key of the request object inside the {@code message} push's data. */
    public static final String REQUEST = "sb_invoke";
    /** Key of the answer object inside the {@code send} command's data. */
    public static final String RESULT = "sb_result";
    /** The invocation id, a string, in both the request and the answer. */
    public static final String ID = "id";
    /** The method name, in the request. */
    public static final String METHOD = "method";
    /** The JSON argument (request) or result (answer); absent means {@code null}. */
    public static final String DATA = "data";
    /** The error object of a failed answer: {@link #CODE} and {@link #MESSAGE}. */
    public static final String ERROR = "error";
    /** The error's numeric code, inside {@link #ERROR}. */
    public static final String CODE = "code";
    /** The error's text, inside {@link #ERROR}. */
    public static final String MESSAGE = "message";
    /** The code of an error answer that carries none. */
    public static final int DEFAULT_ERROR_CODE = 500;

    private InvocationWire() {}
}
