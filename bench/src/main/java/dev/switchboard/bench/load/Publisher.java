package dev.switchboard.bench.load;

/** Where the pacer of a {@code pub} step puts publications: a client connection or a server API lane. */
interface Publisher {

    /** Queues a publication into channel {@code channelIndex} stamped {@code t}; called by the pacer thread. */
    void enqueuePublish(int channelIndex, long t);

    /** Sends what was queued, on the connection's event loop. */
    void flushOutbox();
}
