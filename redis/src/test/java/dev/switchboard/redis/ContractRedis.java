package dev.switchboard.redis;

import dev.switchboard.redis.testing.RedisUnderTest;
import java.util.concurrent.atomic.AtomicInteger;

/** Connections for the engine contract runners ({@code Redis*ContractIT}): a key prefix per test. */
final class ContractRedis {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private ContractRedis() {}

    /** New connections to the server or cluster, under a key prefix no other test uses. */
    static RedisConnections connect(RedisUnderTest redis, String role) {
        return new RedisConnections(RedisEngineOptions.builder(redis.url())
                .prefix("contract-" + role + PREFIXES.incrementAndGet())
                .build());
    }
}
