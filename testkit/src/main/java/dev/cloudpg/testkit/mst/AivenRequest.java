package dev.cloudpg.testkit.mst;

/**
 * One request {@link FakeAiven} answered: method, raw path (such as {@code /v1/project/p/vpcs}), the JSON body sent
 * or {@code null}, and the status answered. The token is not kept; request bodies of these APIs carry no secret.
 */
public record AivenRequest(String method, String path, String body, int status) {}
