package dev.switchboard.redis;

import dev.switchboard.redis.testing.RedisServerExtension;
import java.util.concurrent.atomic.AtomicInteger;

/** Connections for the engine contract runners ({@code Redis*ContractIT}): a key prefix per test. */
final class ContractRedis {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private ContractRedis() {}

    /** New connections to the server, under a key prefix no other test uses. */
    static RedisConnections connect(RedisServerExtension redis, String role) {
        return new RedisConnections(RedisEngineOptions.builder(redis.url())
                .prefix("contract-" + role + PREFIXES.incrementAndGet())
                .build());
    }
}
