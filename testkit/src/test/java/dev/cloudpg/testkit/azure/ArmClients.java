package dev.cloudpg.testkit.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import java.time.OffsetDateTime;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The SDK wiring {@link FakeArm}'s Javadoc describes: a profile naming the fake as resource manager endpoint and a
 * pipeline of the JDK client, a bearer header from a fixed-token credential and the standard retry policy.
 */
final class ArmClients {
  static final String SUBSCRIPTION = "00000000-0000-0000-0000-00000000a001";

  private ArmClients() {
  }

  static TokenCredential fixedToken() {
    return request -> Mono.just(new AccessToken("test-token", OffsetDateTime.now().plusHours(1)));
  }

  static AzureProfile profile(FakeArm arm) {
    String endpoint = arm.endpoint().toString();
    // Every endpoint the managers read names the fake, so nothing can reach a real cloud.
    AzureEnvironment environment = new AzureEnvironment(Map.of("resourceManagerEndpointUrl", endpoint,
        "managementEndpointUrl", endpoint, "microsoftGraphResourceId", endpoint,
        "activeDirectoryGraphResourceId", endpoint, "activeDirectoryEndpointUrl", endpoint));
    return new AzureProfile(arm.tenantId(), SUBSCRIPTION, environment);
  }

  static HttpPipeline pipeline(FakeArm arm, HttpPipelinePolicy... extra) {
    TokenCredential credential = fixedToken();
    TokenRequestContext scope = new TokenRequestContext().addScopes(arm.endpoint() + ".default");
    // The SDK's bearer policies refuse plain http, so this one asks the credential itself and sets the header.
    HttpPipelinePolicy bearer = (context, next) -> credential.getToken(scope).flatMap(token -> {
      context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token.getToken());
      return next.process();
    });
    HttpPipelinePolicy[] policies = new HttpPipelinePolicy[extra.length + 2];
    policies[0] = new RetryPolicy();
    policies[1] = bearer;
    System.arraycopy(extra, 0, policies, 2, extra.length);
    return new HttpPipelineBuilder().httpClient(new JdkHttpClientBuilder().build()).policies(policies).build();
  }
}
