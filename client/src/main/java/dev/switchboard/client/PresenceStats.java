package dev.switchboard.client;

/**
 * Counts of a channel's presence.
 *
 * @param numClients connections subscribed
 * @param numUsers distinct users among them
 */
public record PresenceStats(int numClients, int numUsers) {}
