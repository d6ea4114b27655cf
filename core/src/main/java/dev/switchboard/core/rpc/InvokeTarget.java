package dev.switchboard.core.rpc;

import java.util.Objects;

/**
 * Which connection an invocation goes to.
 *
 * <pre>{@code
 * node.invoke(InvokeTarget.routingKey("proj-1:staging"), "runTest", args, Duration.ofSeconds(30));
 * }</pre>
 *
 * @param kind how {@code value} is matched
 * @param value a client id, a routing key or a user id
 */
public record InvokeTarget(Kind kind, String value) {

    /** How a target is looked up. */
    public enum Kind {
        /** One connection by its client id. */
        CLIENT,
        /**
         * One connection carrying the routing key. When several do, the newest connection is
         * chosen: an SDK that reconnected is the live one, older entries are on their way out.
         */
        ROUTING_KEY,
        /** Every connection of a user ({@code invokeAll}); for {@code invoke}, the newest one. */
        USER
    }

    public InvokeTarget {
        Objects.requireNonNull(kind, "kind");
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("invoke target value must not be empty");
        }
    }

    public static InvokeTarget client(String clientId) {
        return new InvokeTarget(Kind.CLIENT, clientId);
    }

    public static InvokeTarget routingKey(String key) {
        return new InvokeTarget(Kind.ROUTING_KEY, key);
    }

    public static InvokeTarget user(String user) {
        return new InvokeTarget(Kind.USER, user);
    }
}
