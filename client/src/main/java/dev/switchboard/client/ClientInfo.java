package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who a connection is, as the server reports it in presence, join/leave and publications.
 *
 * @param client the connection's client id
 * @param user the user id ({@code ""} for anonymous)
 * @param connInfo the connection token's {@code info} claim, or {@code null}
 * @param chanInfo the subscription's channel info, or {@code null}
 */
public record ClientInfo(String client, String user, JsonNode connInfo, JsonNode chanInfo) {}
