package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.AzureEnvironment;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudpg.ProviderException;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.LeaseRecord;
import dev.cloudpg.spi.LeaseStore;
import dev.cloudpg.spi.Ownership;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The stacks' leases, each an empty Private DNS zone {@code <stack>.lease.cloudpg} whose tags hold the record, written
 * only with ARM's preconditions: {@code If-None-Match: *} to create, {@code If-Match: <etag>} to replace and delete,
 * so two runs anywhere cannot both hold a lease (the loser gets 412 PreconditionFailed). The zone lives in the
 * resource group given with {@code existingResourceGroup}, which cloudpg never deletes, and otherwise in the
 * subscription's group {@value #LEASE_GROUP}, made on first use and kept: not in the stack's own group, which a
 * destroy deletes before the engine releases the lease, and which a first apply plans to create after taking it. The
 * zone carries {@code cloudpg:lease}, never {@code cloudpg:stack}: discovery does not list it. Thread-safe.
 */
public final class AzureLeaseStore implements LeaseStore {
  static final String API_VERSION = "2020-06-01";
  static final String TYPE = "Microsoft.Network/privateDnsZones";
  static final String TAG = Ownership.PREFIX + "lease";
  static final String LEASE_GROUP = "rg-cloudpg-leases";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AzureContext azure;
  private final String kind;

  AzureLeaseStore(AzureContext azure) {
    this(azure, "");
  }

  /**
   * The leases of another provider's stacks kept on this Azure side (MST's, on the Azure subscription it peers with):
   * {@code kind} keeps its zones apart from the Azure stacks' of the same name ({@code <stack>.<kind>.lease.cloudpg}).
   */
  public AzureLeaseStore(AzureContext azure, String kind) {
    this.azure = azure;
    this.kind = kind;
  }

  String zone(String stack) {
    return stack.toLowerCase(Locale.ROOT) + (kind.isEmpty() ? "" : "." + kind) + ".lease.cloudpg";
  }

  private String id(Stack stack) {
    return "/subscriptions/" + azure.subscription() + "/resourceGroups/" + group(stack) + "/providers/" + TYPE + "/"
        + zone(stack.name());
  }

  private String group(Stack stack) {
    return azure.existingResourceGroup() ? azure.resourceGroup(stack.name()) : LEASE_GROUP;
  }

  private record Answer(int status, JsonNode body) {}

  private Answer send(HttpMethod method, Stack stack, String ifMatch, String ifNoneMatch, JsonNode body) {
    String url = AzureEnvironment.AZURE.getResourceManagerEndpoint().replaceAll("/$", "") + id(stack)
        + "?api-version=" + API_VERSION;
    HttpRequest request = new HttpRequest(method, url);
    if (ifMatch != null) {
      request.setHeader(HttpHeaderName.IF_MATCH, ifMatch);
    }
    if (ifNoneMatch != null) {
      request.setHeader(HttpHeaderName.IF_NONE_MATCH, ifNoneMatch);
    }
    try {
      if (body != null) {
        request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json").setBody(JSON.writeValueAsBytes(body));
      }
      try (HttpResponse response = azure.pipeline().send(request).block()) {
        String text = response.getBodyAsString().block();
        int status = response.getStatusCode();
        JsonNode answer = text == null || text.isEmpty() ? null : JSON.readTree(text);
        if (status >= 400 && status != 404 && status != 412) {
          String code = answer != null && answer.has("error") ? answer.get("error").path("code").asText() : "";
          throw new ProviderException(Keys.PROVIDER, code, "the lease of stack " + stack.name() + ": " + method + " "
              + TYPE + " answered " + status, response.getHeaderValue(HttpHeaderName.X_MS_REQUEST_ID), status,
              status == 429 || status >= 500, null);
        }
        return new Answer(status, answer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<LeaseRecord> record(JsonNode zone) {
    JsonNode tags = zone == null ? null : zone.get("tags");
    if (tags == null || !tags.has(TAG + "-run")) {
      return Optional.empty();
    }
    return Optional.of(new LeaseRecord(tags.path(TAG + "-holder").asText(), tags.path(TAG + "-run").asText(),
        Instant.parse(tags.path(TAG + "-since").asText()), Instant.parse(tags.path(TAG + "-expires").asText()),
        zone.path("etag").asText()));
  }

  private static ObjectNode body(Stack stack, LeaseRecord r) {
    ObjectNode body = JSON.createObjectNode().put("location", "global");
    body.putObject("tags").put(TAG, stack.name()).put(TAG + "-holder", r.holder()).put(TAG + "-run", r.run())
        .put(TAG + "-since", r.since().toString()).put(TAG + "-expires", r.expires().toString());
    body.putObject("properties");
    return body;
  }

  @Override
  public Optional<LeaseRecord> current(Stack stack) {
    Answer a = send(HttpMethod.GET, stack, null, null, null);
    return a.status() == 404 ? Optional.empty() : record(a.body());
  }

  @Override
  public LeaseRecord acquire(Stack stack, LeaseRecord wanted) {
    ensureGroup(stack);
    Answer a = send(HttpMethod.PUT, stack, null, "*", body(stack, wanted));
    if (a.status() < 300) {
      return record(a.body()).orElseThrow();
    }
    // 412: someone holds it; the holder's record (or, if it went in between, ours to try again next time).
    return current(stack).orElse(wanted.withVersion("gone"));
  }

  @Override
  public Optional<LeaseRecord> replace(Stack stack, LeaseRecord expected, LeaseRecord next) {
    Answer a = send(HttpMethod.PUT, stack, expected.version(), null, body(stack, next));
    return a.status() < 300 ? record(a.body()) : Optional.empty();
  }

  @Override
  public void release(Stack stack, LeaseRecord held) {
    send(HttpMethod.DELETE, stack, held.version(), null, null);
  }

  /** The group the record lives in, made (untagged by any stack) when it is the subscription's lease group. */
  private void ensureGroup(Stack stack) {
    if (azure.existingResourceGroup()) {
      return;
    }
    var groups = azure.managers().resources().serviceClient().getResourceGroups();
    if (ifFound(() -> groups.get(LEASE_GROUP)).isEmpty()) {
      groups.createOrUpdate(LEASE_GROUP, new ResourceGroupInner().withLocation(azure.region())
          .withTags(java.util.Map.of(TAG, "the leases of cloudpg's stacks in this subscription")));
    }
  }
}
