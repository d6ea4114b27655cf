package dev.switchboard.server.abuse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A WebSocket connection a fuzzer drives: a reader thread hands each data frame to
 * {@link #onData} (which records reply ids) and keeps the close code. Shared by the JSON and the
 * protobuf fuzzers, which differ only in how they read a frame.
 */
abstract class FuzzConnection implements AutoCloseable {

    final RawWebSocket ws;
    final Set<Long> replies = ConcurrentHashMap.newKeySet();
    volatile int closeCode = RawWebSocket.STILL_OPEN;
    final Thread reader;

    FuzzConnection(RawWebSocket ws) {
        this.ws = ws;
        reader = new Thread(this::read, "fuzz-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** A text or binary frame from the node; record the ids of the replies it holds. */
    abstract void onData(RawWebSocket.Frame frame) throws IOException;

    private void read() {
        try {
            while (true) {
                RawWebSocket.Frame f = ws.readFrame(Duration.ofMinutes(5));
                if (f == null) {
                    closeCode = RawWebSocket.NO_CLOSE_FRAME;
                    return;
                }
                if (f.opcode() == RawWebSocket.CLOSE) {
                    closeCode = f.closeCode();
                    return;
                }
                onData(f);
            }
        } catch (IOException e) {
            if (closeCode == RawWebSocket.STILL_OPEN) {
                closeCode = ws.socket().isClosed() ? 1000 : RawWebSocket.NO_CLOSE_FRAME;
            }
        }
    }

    boolean open() {
        return closeCode == RawWebSocket.STILL_OPEN;
    }

    /** Waits for the reply to {@code id} or the close: true if either came within the wait. */
    boolean awaitReplyOrClose(long id, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            if (replies.contains(id) || !open()) {
                return true;
            }
            HostileNode.sleep(1);
        }
        return replies.contains(id) || !open();
    }

    @Override
    public void close() {
        ws.close();
    }

    /** Close codes seen, as {@code "3501x12 3506x3"}. */
    static String closeCodes(int[] closes) {
        StringBuilder codes = new StringBuilder();
        for (int i = 0; i < closes.length; i++) {
            if (closes[i] > 0) {
                codes.append(' ').append(1000 + i).append('x').append(closes[i]);
            }
        }
        return codes.toString().trim();
    }

    /** The node's log lines that show an error, an OutOfMemoryError or a stack trace (at most 30). */
    static List<String> badLogLines(HostileNode node) {
        return node.log()
                .lines()
                .filter(l -> l.contains("ERROR")
                        || l.contains("OutOfMemoryError")
                        || l.contains("Exception in thread")
                        || l.startsWith("\tat "))
                .limit(30)
                .toList();
    }
}
