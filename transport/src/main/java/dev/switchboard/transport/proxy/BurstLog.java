package dev.switchboard.transport.proxy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a failing backend once per burst: the first failure at once, then at most one line per
 * interval saying how many were left out. A backend that is down for a minute costs a handful of
 * lines, not one per client. Callers pass only what is safe to log (no header values, no body).
 *
 * <pre>{@code
 * BurstLog burst = new BurstLog(log, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
 * burst.warn("connect", "timeout: no answer within 1000ms");
 * }</pre>
 */
public final class BurstLog {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAt;
    private final AtomicLong suppressed = new AtomicLong();

    public BurstLog(Logger log, long intervalNanos, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
        this.nextAt = new AtomicLong(nanoTime.getAsLong());
    }

    /** @return true when the line was written */
    public boolean warn(String proxy, String what) {
        long now = nanoTime.getAsLong();
        long at = nextAt.get();
        if (now - at < 0 || !nextAt.compareAndSet(at, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long left = suppressed.getAndSet(0);
        if (left > 0) {
            log.warn("{} proxy: {} ({} more failures since the last line)", proxy, what, left);
        } else {
            log.warn("{} proxy: {}", proxy, what);
        }
        return true;
    }
}
