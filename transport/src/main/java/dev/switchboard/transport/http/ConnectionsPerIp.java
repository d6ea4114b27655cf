package dev.switchboard.transport.http;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections per remote IP address and refuses those above
 * {@code http.max_connections_per_ip}. A connection counts from accept until it closes, through a
 * WebSocket upgrade. One per server, shared by the I/O threads.
 */
public final class ConnectionsPerIp {

    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** @param max most connections per IP; {@code 0} for no limit (then nothing is counted) */
    public ConnectionsPerIp(int max) {
        this.max = max;
    }

    /**
     * Counts a new connection, to be released when it closes.
     *
     * @return {@code false} when its IP already has the maximum: close it
     */
    public boolean admit(Channel ch) {
        InetAddress ip = ipOf(ch.remoteAddress());
        if (max <= 0 || ip == null) {
            return true;
        }
        boolean[] admitted = new boolean[1];
        open.compute(ip, (k, n) -> {
            int count = n == null ? 0 : n;
            admitted[0] = count < max;
            return admitted[0] ? count + 1 : n;
        });
        if (admitted[0]) {
            ch.closeFuture().addListener(f -> open.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1));
        }
        return admitted[0];
    }

    /** Open connections counted for an address. */
    public int count(InetAddress ip) {
        return open.getOrDefault(ip, 0);
    }

    private static InetAddress ipOf(SocketAddress a) {
        return a instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
