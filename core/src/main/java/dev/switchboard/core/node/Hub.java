package dev.switchboard.core.node;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's connections and their subscriptions: by client id, by user, by channel.
 * Thread-safe; iteration is weakly consistent.
 */
final class Hub {

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Set<Client>> users = new ConcurrentHashMap<>();
    private final Map<String, Set<Client>> channels = new ConcurrentHashMap<>();

    void addClient(Client c) {
        clients.put(c.id(), c);
        users.computeIfAbsent(c.userId(), u -> ConcurrentHashMap.newKeySet()).add(c);
    }

    void removeClient(Client c) {
        clients.remove(c.id(), c);
        users.computeIfPresent(c.userId(), (u, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Adds a subscriber.
     *
     * @return true when it is the channel's first subscriber on this node
     */
    boolean addSubscriber(String channel, Client c) {
        boolean[] first = {false};
        channels.compute(channel, (ch, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
                first[0] = true;
            }
            set.add(c);
            return set;
        });
        return first[0];
    }

    /**
     * Removes a subscriber.
     *
     * @return true when it was the channel's last subscriber on this node
     */
    boolean removeSubscriber(String channel, Client c) {
        boolean[] last = {false};
        channels.computeIfPresent(channel, (ch, set) -> {
            if (!set.remove(c)) {
                return set;
            }
            if (set.isEmpty()) {
                last[0] = true;
                return null;
            }
            return set;
        });
        return last[0];
    }

    Set<Client> subscribers(String channel) {
        Set<Client> s = channels.get(channel);
        return s == null ? Set.of() : s;
    }

    Client client(String id) {
        return clients.get(id);
    }

    Set<Client> userClients(String user) {
        Set<Client> s = users.get(user);
        return s == null ? Set.of() : s;
    }

    Collection<Client> clients() {
        return clients.values();
    }

    Map<String, Set<Client>> channels() {
        return channels;
    }

    int clientCount() {
        return clients.size();
    }

    int userCount() {
        return users.size();
    }

    int channelCount() {
        return channels.size();
    }

    int subscriptionCount() {
        int n = 0;
        for (Set<Client> s : channels.values()) {
            n += s.size();
        }
        return n;
    }
}
