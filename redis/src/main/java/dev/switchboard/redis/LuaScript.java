package dev.switchboard.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run by its SHA, sent in full when Redis does not know it (first use, or after a
 * restart that lost the script cache).
 */
final class LuaScript {

    private final String source;
    private final byte[] sourceBytes;
    private final String sha;

    private LuaScript(String source) {
        this.source = source;
        this.sourceBytes = source.getBytes(StandardCharsets.UTF_8);
        try {
            this.sha =
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(sourceBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads a script from the classpath next to this class. */
    static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name);
            }
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> CompletableFuture<T> run(
            RedisClusterAsyncCommands<byte[], byte[]> redis, ScriptOutputType type, byte[][] keys, byte[]... args) {
        CompletableFuture<T> f = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return f.handle((r, e) -> {
                    if (e == null) {
                        return CompletableFuture.completedFuture(r);
                    }
                    Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (c instanceof RedisNoScriptException) {
                        return redis.<T>eval(sourceBytes, type, keys, args).toCompletableFuture();
                    }
                    return CompletableFuture.<T>failedFuture(c);
                })
                .thenCompose(x -> x);
    }

    String source() {
        return source;
    }
}
