package dev.cloudpg.mst.internal;

/** An Entra ID application: its object id (for Graph requests) and its application (client) id. */
public record EntraApplication(String objectId, String appId, String displayName) {}
