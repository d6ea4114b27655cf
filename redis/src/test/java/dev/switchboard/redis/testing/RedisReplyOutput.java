package dev.switchboard.redis.testing;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Any RESP2 reply as plain Java values, for {@link RedisServerExtension#command}: status and bulk
 * strings as {@link String}, integers as {@link Long}, arrays as {@link List} (nested), nil as
 * {@code null}.
 */
final class RedisReplyOutput extends CommandOutput<String, String, Object> {

    /** Arrays still being filled, innermost first. */
    private final Deque<List<Object>> open = new ArrayDeque<>();

    RedisReplyOutput() {
        super(StringCodec.UTF8, null);
    }

    @Override
    public void set(ByteBuffer bytes) {
        add(bytes == null ? null : decodeString(bytes));
    }

    @Override
    public void setSingle(ByteBuffer bytes) {
        set(bytes);
    }

    @Override
    public void set(long integer) {
        add(integer);
    }

    @Override
    public void set(double number) {
        add(number);
    }

    @Override
    public void set(boolean value) {
        add(value);
    }

    @Override
    public void multi(int count) {
        List<Object> array = new ArrayList<>(Math.max(count, 0));
        add(array);
        open.push(array);
    }

    @Override
    public void complete(int depth) {
        // Lettuce reports the nesting depth left after each element; arrays deeper than it are done.
        while (open.size() > depth) {
            open.pop();
        }
    }

    private void add(Object value) {
        if (open.isEmpty()) {
            output = value;
        } else {
            open.peek().add(value);
        }
    }
}
