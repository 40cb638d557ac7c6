package dev.cloudpg.mst.internal;

/** A service principal: an application's identity in this tenant, the principal that roles are assigned to. */
public record EntraServicePrincipal(String objectId, String appId) {}
