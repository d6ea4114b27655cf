package dev.switchboard.transport.proxy;

import dev.switchboard.core.hook.RpcHandler;
import dev.switchboard.core.hook.RpcRequest;
import java.util.concurrent.CompletionStage;

/**
 * The RPC proxy: a client's {@code rpc} whose method has no handler registered in Java goes to
 * the application's backend, as with Centrifugo's RPC proxy. Request {@code {"client",
 * "transport","protocol","encoding","user","method","data"}}; answer
 * {@code {"result":{"data"|"b64data"}}} (the rpc reply's {@code data}), an {@code error} (its
 * code reaches the client) or a {@code disconnect}. A backend that cannot answer is error 100.
 *
 * <pre>{@code
 * Node.builder().rpc("echo", echo).rpcFallback(new RpcProxy(rpcClient))...   // usually through Proxies.wire
 * }</pre>
 */
public final class RpcProxy implements RpcHandler {

    private final ProxyClient client;

    public RpcProxy(ProxyClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<byte[]> handle(RpcRequest req) {
        byte[] body = ProxyJson.request(req.client().client(), req.transport(), g -> {
            g.writeStringField("user", req.client().user());
            g.writeStringField("method", req.method());
            ProxyJson.writeRaw(g, "data", req.data());
            ProxyJson.writeMeta(g, client, req.meta());
        });
        return CommandAnswer.call(
                client,
                body,
                req.headers(),
                req.emulatedHeaders(),
                r -> r == null ? null : ProxyJson.raw(r, "data", "b64data"));
    }
}
