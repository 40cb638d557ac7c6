package dev.cloudpg.testkit.mst;

/**
 * One request {@link FakeGraph} answered: method, path with its decoded query (such as
 * {@code /v1.0/servicePrincipals?$filter=appId eq '...'}), the JSON body sent or {@code null}, and the status
 * answered. The bearer token is not kept, and no request these operations send carries a secret.
 */
public record GraphRequest(String method, String path, String body, int status) {}
