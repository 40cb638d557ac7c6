package dev.cloudpg.mst.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import dev.cloudpg.ProviderException;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.testkit.mst.FakeGraph;
import dev.cloudpg.testkit.mst.GraphRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class EntraDirectoryTest {
  private static final String MST_APP_ID = "0e3c1f52-6d3b-4b8e-9a77-7a2f0c4d9e11";
  private static final String TAG = Ownership.STACK + "=shop";

  private final List<String> scopes = new CopyOnWriteArrayList<>();
  private final TokenCredential credential = request -> {
    scopes.addAll(request.getScopes());
    return Mono.just(new AccessToken("fake-graph-token", OffsetDateTime.now().plusHours(1)));
  };
  private FakeGraph graph;
  private EntraDirectory directory;

  @BeforeEach
  void start() {
    graph = FakeGraph.start();
    directory = EntraDirectory.create(credential, graph.baseUrl());
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  @Test
  void ensureApplication_whenAbsent_createsMultiTenantAppWithTagThenFindsItAgain() {
    EntraApplication created = directory.ensureApplication("cloudpg-shop-mst-peering", TAG);
    EntraApplication again = directory.ensureApplication("cloudpg-shop-mst-peering", TAG);

    assertThat(again).isEqualTo(created);
    assertThat(created.appId()).isNotBlank().isNotEqualTo(created.objectId());
    assertThat(scopes).contains(EntraDirectory.GRAPH_SCOPE);
    GraphRequest post = graph.requests().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
    assertThat(post.body()).contains("\"signInAudience\":\"AzureADMultipleOrgs\"", TAG);
    assertThat(graph.requests()).filteredOn(r -> r.method().equals("POST")).hasSize(1);
    assertThat(graph.requests().get(0).path())
        .isEqualTo("/v1.0/applications?$filter=displayName eq 'cloudpg-shop-mst-peering'");
  }

  @Test
  void ensureApplication_whenNamesakeWithoutTag_createsOurOwn() {
    EntraApplication foreign = directory.ensureApplication("same-name", "someone-else");

    EntraApplication ours = directory.ensureApplication("same-name", TAG);

    assertThat(ours.objectId()).isNotEqualTo(foreign.objectId());
  }

  @Test
  void ensureApplication_whenNameHasQuote_escapesTheFilterLiteral() {
    EntraApplication created = directory.ensureApplication("o'brien", TAG);

    assertThat(directory.ensureApplication("o'brien", TAG)).isEqualTo(created);
  }

  @Test
  void ensureServicePrincipal_whenAbsent_createsThenFindsByAppId() {
    EntraApplication app = directory.ensureApplication("cloudpg-shop-mst-peering", TAG);

    EntraServicePrincipal created = directory.ensureServicePrincipal(app.appId());
    EntraServicePrincipal again = directory.ensureServicePrincipal(app.appId());

    assertThat(again).isEqualTo(created);
    assertThat(created.appId()).isEqualTo(app.appId());
    assertThat(graph.requests()).extracting(GraphRequest::path)
        .contains("/v1.0/servicePrincipals?$filter=appId eq '" + app.appId() + "'");
  }

  @Test
  void ensureServicePrincipal_whenForeignAppAllowed_createsIt() {
    assertThat(directory.ensureServicePrincipal(MST_APP_ID).appId()).isEqualTo(MST_APP_ID);
  }

  @Test
  void ensureServicePrincipal_whenForeignAppDenied_explainsTheMissingRole() {
    graph.denyForeignServicePrincipals(true);

    assertThatThrownBy(() -> directory.ensureServicePrincipal(MST_APP_ID))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.provider()).isEqualTo("azure");
          assertThat(e.errorCode()).isEqualTo("Authorization_RequestDenied");
          assertThat(e.httpStatus()).isEqualTo(403);
          assertThat(e.requestId()).isPresent();
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains(MST_APP_ID, "Application Administrator");
        });
  }

  @Test
  void addPassword_whenAdded_returnsSecretOnceAndLogsNoSecret() {
    EntraApplication app = directory.ensureApplication("cloudpg-shop-mst-peering", TAG);

    Instant now = Instant.parse("2031-05-01T10:00:00Z");
    EntraPassword password = directory.addPassword(app.objectId(), "mst peering", now, Duration.ofDays(365));

    String secret = password.secret().reveal();
    assertThat(secret).isNotBlank();
    assertThat(password.keyId()).isNotNull();
    assertThat(password.expires().toInstant()).isEqualTo(now.plus(Duration.ofDays(365)));
    assertThat(password.toString()).doesNotContain(secret);
    assertThat(graph.requests().toString()).doesNotContain(secret).doesNotContain("fake-graph-token");
  }

  @Test
  void removePassword_whenAdded_leavesTheApplicationWithoutIt() {
    EntraApplication app = directory.ensureApplication("cloudpg-shop-mst-peering", TAG);
    EntraPassword password = directory.addPassword(app.objectId(), "short", Instant.now(), Duration.ofHours(1));

    assertThat(directory.removePassword(app.objectId(), password.keyId())).isTrue();

    assertThat(graph.passwordKeyIds(app.objectId())).isEmpty();
    assertThat(directory.removePassword("no-such-app", password.keyId())).isFalse();
  }

  @Test
  void passwordKeyIds_whenSeveralNames_listsOnlyThoseOfTheName() {
    EntraApplication app = directory.ensureApplication("cloudpg-shop-mst-peering", TAG);
    EntraPassword ours = directory.addPassword(app.objectId(), "step", Instant.now(), Duration.ofHours(1));
    directory.addPassword(app.objectId(), "someone else's", Instant.now(), Duration.ofHours(1));

    assertThat(directory.passwordKeyIds(app.objectId(), "step")).containsExactly(ours.keyId());
    assertThat(directory.passwordKeyIds("no-such-app", "step")).isEmpty();
  }

  @Test
  void ensureServicePrincipal_whenTagGiven_tagsOnlyWhatItCreates() {
    EntraServicePrincipal before = directory.ensureServicePrincipal(MST_APP_ID);
    EntraServicePrincipal again = directory.ensureServicePrincipal(MST_APP_ID, TAG);
    EntraApplication app = directory.ensureApplication("cloudpg-shop-mst-peering", TAG);
    EntraServicePrincipal ours = directory.ensureServicePrincipal(app.appId(), TAG);

    assertThat(again.objectId()).isEqualTo(before.objectId());
    assertThat(again.hasTag(TAG)).isFalse();
    assertThat(ours.hasTag(TAG)).isTrue();
    assertThat(directory.findServicePrincipal(app.appId())).contains(ours);
    assertThat(directory.findApplication("cloudpg-shop-mst-peering", TAG)).contains(app);
    assertThat(directory.findApplication("cloudpg-shop-mst-peering", "other")).isEmpty();
  }

  @Test
  void tenantId_always_readsTheOrganization() {
    assertThat(directory.tenantId()).isEqualTo(graph.tenantId());
  }

  @Test
  void delete_whenPresentThenGone_answersTrueThenFalse() {
    EntraApplication app = directory.ensureApplication("cloudpg-shop-mst-peering", TAG);
    EntraServicePrincipal sp = directory.ensureServicePrincipal(app.appId());

    assertThat(directory.deleteServicePrincipal(sp.objectId())).isTrue();
    assertThat(directory.deleteServicePrincipal(sp.objectId())).isFalse();
    assertThat(directory.deleteApplication(app.objectId())).isTrue();
    assertThat(directory.deleteApplication(app.objectId())).isFalse();
  }

  @Test
  void request_whenGraphRefuses_mapsCodeMessageAndRequestId() {
    graph.failNext("GET", "/v1.0/organization", 403, "Insufficient privileges to complete the operation.", 1);

    assertThatThrownBy(() -> directory.tenantId())
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("Authorization_RequestDenied");
          assertThat(e.getMessage()).contains("Insufficient privileges");
          assertThat(e.requestId()).isPresent();
          assertThat(e.retryable()).isFalse();
        });
  }

  @Test
  void request_whenThrottledOnce_sendsOnceAndThrowsRetryableForTheEngine() {
    graph.failNext("GET", "/v1.0/organization", 429, "Too many requests", 1);

    assertThatThrownBy(() -> directory.tenantId())
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(429);
          assertThat(e.retryable()).isTrue();
        });
    assertThat(graph.requests()).extracting(GraphRequest::status).containsExactly(429);
    assertThat(directory.tenantId()).isEqualTo(graph.tenantId());
  }

  @Test
  void request_whenServerErrorsPersist_sendsOnceAndThrowsRetryable() {
    graph.failNext("GET", "/v1.0/organization", 503, "Service unavailable", 10);

    assertThatThrownBy(() -> directory.tenantId())
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(503);
          assertThat(e.retryable()).isTrue();
        });
    assertThat(graph.requests()).hasSize(1);
  }

  @Test
  void addPassword_whenGraphFailsWithServerError_doesNotResendThePost() {
    EntraApplication app = directory.ensureApplication("cloudpg-shop-mst-peering", TAG);
    graph.failNext("POST", "/v1.0/applications/[^/]+/addPassword", 504, "Gateway timeout", 1);

    assertThatThrownBy(() -> directory.addPassword(app.objectId(), "step", Instant.now(), Duration.ofHours(1)))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.retryable()).isTrue());

    assertThat(graph.requests()).filteredOn(r -> r.path().endsWith("/addPassword")).hasSize(1);
    assertThat(graph.passwordKeyIds(app.objectId())).isEmpty();
  }
}
