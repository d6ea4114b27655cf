package dev.switchboard.redis.testing;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One node's answer to {@code CLUSTER NODES}, parsed: who it knows, their roles and slots. */
final class ClusterView {

    /**
     * One line: {@code <id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot>...},
     * a slot being {@code n}, {@code a-b} or, on the {@code myself} line during a migration, {@code
     * [n->-id]} / {@code [n-<-id]}.
     */
    record Entry(
            String id,
            int port,
            Set<String> flags,
            String masterId,
            boolean connected,
            BitSet slots,
            String slotsText,
            boolean openSlots) {

        boolean master() {
            return flags.contains("master");
        }

        boolean failing() {
            return flags.contains("fail") || flags.contains("fail?");
        }

        boolean myself() {
            return flags.contains("myself");
        }
    }

    private final List<Entry> entries;

    private ClusterView(List<Entry> entries) {
        this.entries = entries;
    }

    static ClusterView parse(String clusterNodes) {
        List<Entry> entries = new ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            String address = f[1].split("@")[0];
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            BitSet slots = new BitSet(RedisClusterExtension.SLOTS);
            StringBuilder slotsText = new StringBuilder();
            boolean open = false;
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    open = true;
                    continue;
                }
                int dash = f[i].indexOf('-');
                int from = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(f[i].substring(dash + 1));
                slots.set(from, to + 1);
                slotsText.append(' ').append(f[i]);
            }
            entries.add(new Entry(
                    f[0],
                    port,
                    Set.of(f[2].split(",")),
                    f[3],
                    f[7].equals("connected"),
                    slots,
                    slotsText.toString().trim(),
                    open));
        }
        return new ClusterView(List.copyOf(entries));
    }

    List<Entry> entries() {
        return entries;
    }

    Optional<Entry> myself() {
        return entries.stream().filter(Entry::myself).findFirst();
    }

    Optional<Entry> byId(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The id of the master this node believes serves the slot, or null if none does. */
    String ownerOf(int slot) {
        return entries.stream()
                .filter(e -> e.master() && e.slots().get(slot))
                .map(Entry::id)
                .findFirst()
                .orElse(null);
    }

    /** Masters owning at least one slot, the one owning the lowest slot first. */
    List<Entry> primaries() {
        return entries.stream()
                .filter(e -> e.master() && !e.slots().isEmpty())
                .sorted(Comparator.comparingInt(e -> e.slots().nextSetBit(0)))
                .toList();
    }

    /** Which master owns which slots, as text: equal on nodes that agree on the slot map. */
    String slotMap() {
        StringBuilder b = new StringBuilder();
        for (Entry e : primaries()) {
            b.append(e.id(), 0, 8).append('=').append(e.slotsText()).append("; ");
        }
        return b.toString();
    }
}
