package dev.switchboard.core.node;

import dev.switchboard.core.engine.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The stream positions of a connection's recoverable subscriptions as one short string, and back:
 * the {@code id} of every uni SSE event, which a browser's {@code EventSource} sends again as
 * {@code Last-Event-ID} when it reconnects by itself, so the new connection recovers exactly what
 * the old one missed with no client library.
 *
 * <p>Form: {@code 1.<entry>.<entry>...}, an entry {@code <channel hash>-<offset>-<epoch>}, hash
 * (CRC-32 of the channel name) and offset in base 36. Channels are hashed, not named, so the id
 * stays short whatever the names (at most {@link #MAX_ENTRIES} entries, about 1 KiB); the new
 * connection knows its channels (the same token, config or proxy decide them) and finds each one's
 * entry by its hash. {@code 1.!} says "positions unknown" (more recoverable subscriptions than fit,
 * or one whose stream had a hole), so a resume reports {@code recovered: false} instead of a guess.
 *
 * <pre>{@code
 * String id = ResumeId.of(client.subs.values());      // "1.1x3kq9-c-8m2kd0a"
 * ResumeId r = ResumeId.parse(lastEventIdHeader);     // never throws
 * ResumeId.Lookup l = r.lookup("news");               // FOUND with its position, UNKNOWN or ABSENT
 * }</pre>
 */
final class ResumeId {

    /** Most recoverable subscriptions an id carries; a connection with more gets {@code 1.!}. */
    static final int MAX_ENTRIES = 32;
    /** Longest {@code Last-Event-ID} parsed; longer is treated as unknown positions. */
    static final int MAX_LENGTH = 2048;

    /** An epoch that matches no stream: a subscription recovering from it gets {@code recovered: false}. */
    static final String NO_EPOCH = "!";

    private static final String VERSION = "1";
    private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9_]{1,32}");

    /** What an id says about one channel. */
    enum Outcome {
        /** The id holds the channel's position. */
        FOUND,
        /** The id cannot tell (malformed, too many channels, two channels of one hash): not recoverable. */
        UNKNOWN,
        /** The id holds no entry for the channel: it was not a recoverable subscription then. */
        ABSENT
    }

    /** The answer of {@link #lookup}: a position when {@link Outcome#FOUND}. */
    record Lookup(Outcome outcome, StreamPosition position) {}

    private final boolean unknown;
    private final Map<Long, StreamPosition> byHash;
    private final Set<Long> ambiguous;

    private ResumeId(boolean unknown, Map<Long, StreamPosition> byHash, Set<Long> ambiguous) {
        this.unknown = unknown;
        this.byHash = byHash;
        this.ambiguous = ambiguous;
    }

    /** The id of these subscriptions' current positions: the recoverable ones that are live. */
    static String of(Collection<ClientSubscription> subs) {
        StringBuilder out = new StringBuilder(VERSION);
        int n = 0;
        for (ClientSubscription s : subs) {
            if (!s.recoverable || s.subscribing) {
                continue;
            }
            // A stream with a hole (offset parked at MAX_VALUE until the client is told) or more
            // channels than fit: the positions cannot be stated, and a resume must say so.
            if (++n > MAX_ENTRIES
                    || s.offset == Long.MAX_VALUE
                    || !EPOCH.matcher(s.epoch).matches()) {
                return VERSION + "." + NO_EPOCH;
            }
            out.append('.')
                    .append(Long.toString(hash(s.channel), 36))
                    .append('-')
                    .append(Long.toString(s.offset, 36))
                    .append('-')
                    .append(s.epoch);
        }
        return out.toString();
    }

    /** Reads an id; anything malformed is an id of unknown positions. Never throws. */
    static ResumeId parse(String id) {
        ResumeId unknownPositions = new ResumeId(true, Map.of(), Set.of());
        if (id == null || id.length() > MAX_LENGTH) {
            return unknownPositions;
        }
        String[] parts = id.split("\\.", -1);
        if (!parts[0].equals(VERSION)) {
            return unknownPositions;
        }
        Map<Long, StreamPosition> byHash = new HashMap<>();
        Set<Long> ambiguous = new HashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String[] f = parts[i].split("-", -1);
            if (f.length != 3 || !EPOCH.matcher(f[2]).matches()) {
                return unknownPositions;
            }
            long hash;
            long offset;
            try {
                hash = Long.parseLong(f[0], 36);
                offset = Long.parseLong(f[1], 36);
            } catch (NumberFormatException e) {
                return unknownPositions;
            }
            if (offset < 0 || byHash.put(hash, new StreamPosition(offset, f[2])) != null) {
                ambiguous.add(hash);
            }
        }
        return new ResumeId(false, byHash, ambiguous);
    }

    /** What this id says about {@code channel}. */
    Lookup lookup(String channel) {
        if (unknown) {
            return new Lookup(Outcome.UNKNOWN, null);
        }
        long h = hash(channel);
        if (ambiguous.contains(h)) {
            return new Lookup(Outcome.UNKNOWN, null);
        }
        StreamPosition p = byHash.get(h);
        return p == null ? new Lookup(Outcome.ABSENT, null) : new Lookup(Outcome.FOUND, p);
    }

    private static long hash(String channel) {
        CRC32 crc = new CRC32();
        crc.update(channel.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
