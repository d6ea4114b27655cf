package dev.switchboard.transport.websocket;

import dev.switchboard.core.protocol.ProtocolFormat;

/**
 * Where WebSocket connections count the messages and bytes they carry, per encoding. The server
 * binds it to Micrometer; the default counts nothing. Each connection looks its two counters up
 * once, so the write path only adds.
 */
public interface TrafficMetrics {

    /** Counts nothing. */
    TrafficMetrics NOOP = new TrafficMetrics() {
        @Override
        public Counter received(ProtocolFormat format) {
            return Counter.NOOP;
        }

        @Override
        public Counter sent(ProtocolFormat format) {
            return Counter.NOOP;
        }
    };

    /** Data frames read from clients of this encoding (a JSON frame may hold several commands). */
    Counter received(ProtocolFormat format);

    /** Protocol messages (replies and pushes) queued for clients of this encoding, before framing. */
    Counter sent(ProtocolFormat format);

    /**
     * Socket writes to clients of this encoding: one per flush, however many messages it carries,
     * with those messages' bytes. Messages sent per write is how well writes are batched.
     */
    default Counter flushed(ProtocolFormat format) {
        return Counter.NOOP;
    }

    /** Counts one message of so many bytes. Cheap and thread-safe. */
    @FunctionalInterface
    interface Counter {
        Counter NOOP = bytes -> {};

        void message(int bytes);
    }
}
