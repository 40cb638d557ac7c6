package dev.cloudpg.testkit.mst;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloudpg.Secret;
import dev.cloudpg.spi.TimeSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A fake of the Aiven API behind Managed Service for TimescaleDB, on 127.0.0.1, for tests of code that provisions
 * MST:
 *
 * <pre>{@code
 * try (FakeAiven aiven = FakeAiven.builder().azurePeered(fakeArm::hasVnetPeeringTo).build()) {
 *   // send requests to aiven.apiBase() with "Authorization: aivenv1 " + aiven.token().reveal()
 * }
 * }</pre>
 *
 * <p>It serves project VPCs ({@code APPROVED} until built, then {@code ACTIVE}; {@code DELETING}, then gone), Azure
 * peering connections with Aiven's state machine ({@code APPROVED}, then {@code PENDING_PEER} with the MST tenant and
 * VNet in {@code state_info}, then {@code ACTIVE} once {@link Builder#azurePeered the Azure side} has peered to that
 * VNet) and PostgreSQL services ({@code REBUILDING}, then {@code RUNNING}; termination protection refuses deletion;
 * tags as Aiven checks them, in the service and at {@code .../service/{name}/tags}; a change of plan or of
 * {@code user_config.pg_version} in place rebuilds the service, which keeps serving, and a lower version is refused).
 * States change with simulated time, which runs {@link Builder#timeScale 1000 times} faster than real time by
 * default. Requests need {@code Authorization: aivenv1 <token()>}; errors have Aiven's body
 * {@code {"message":..,"errors":[{"message":..,"status":..}]}}. Wording of the fake's messages is its own.
 */
public final class FakeAiven implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Secret token;
  private final String mstTenantId;
  private final AivenModel model;
  private final FailureRules failures = new FailureRules();
  private final RequestLog<AivenRequest> log = new RequestLog<>();
  private final LoopbackServer server;

  private FakeAiven(Builder b) {
    this.token = Secret.of(b.token);
    this.mstTenantId = b.mstTenantId;
    TimeSource time = b.time != null ? b.time : TimeSource.scaled(Instant.now(), b.timeScale);
    this.model = new AivenModel(JSON, time::now, b.durations, b.azurePeered, b.mstTenantId, b.mstSubscriptionId,
        b.projects);
    this.server = LoopbackServer.start("fake-aiven", this::handle);
  }

  /**
   * A builder with the defaults of {@link #start()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A fake with the defaults: any project, quick durations, time 1000 times faster, no Azure side peered.
   *
   * @return a fake with the defaults: any project, quick durations, time 1000 times faster, no Azure side peered
   */
  public static FakeAiven start() {
    return builder().build();
  }

  /**
   * The API base, {@code http://127.0.0.1:<port>/v1}.
   *
   * @return the API base, {@code http://127.0.0.1:<port>/v1}
   */
  public URI apiBase() {
    return URI.create(server.root() + "/v1");
  }

  /**
   * The token requests must carry.
   *
   * @return the token requests must carry
   */
  public Secret token() {
    return token;
  }

  /**
   * The tenant of MST's Azure VNets, as {@code PENDING_PEER} reports it in {@code to-tenant-id}.
   *
   * @return the tenant of MST's Azure VNets, as {@code PENDING_PEER} reports it in {@code to-tenant-id}
   */
  public String mstTenantId() {
    return mstTenantId;
  }

  /**
   * The resource id of the MST VNet behind a project VPC, as {@code PENDING_PEER} reports it in
   * {@code to-network-id}.
   *
   * @param projectVpcId the project VPC's id
   * @return the MST VNet's resource id
   */
  public String mstNetworkId(String projectVpcId) {
    return model.mstNetworkId(projectVpcId);
  }

  /**
   * Makes the next requests with this method and a raw path matching {@code pathRegex} (such as
   * {@code /v1/project/[^/]+/vpcs}) fail with {@code status} and Aiven's error body; 429 and 503 also send
   * {@code Retry-After: 1}.
   *
   * @param method the HTTP method, such as {@code POST}
   * @param pathRegex a regular expression the whole raw path must match
   * @param status the error status, 4xx or 5xx
   * @param message the error's message
   * @param times how many requests fail, at least 1
   * @return this fake
   */
  public FakeAiven failNext(String method, String pathRegex, int status, String message, int times) {
    failures.add(method, pathRegex, status, message, times);
    return this;
  }

  /**
   * Lets the next request with this method and a raw path matching {@code pathRegex} take effect and drops its
   * answer: the connection closes without a status line, as when it resets after Aiven accepted the request.
   *
   * @param method the HTTP method, such as {@code POST}
   * @param pathRegex a regular expression the whole raw path must match
   * @return this fake
   */
  public FakeAiven loseAnswerOnce(String method, String pathRegex) {
    failures.add(method, pathRegex, FailureRules.LOSE_ANSWER, "", 1);
    return this;
  }

  /**
   * Makes the next peering connection created go to {@code state} (such as {@code INVALID_SPECIFICATION} or
   * {@code ERROR}) instead of {@code PENDING_PEER} once approved, with {@code reason} in {@code state_info.message}.
   * Only that connection: one created after it behaves normally.
   *
   * @param state the state the connection ends in
   * @param reason the reason given in {@code state_info.message}
   * @return this fake
   */
  public FakeAiven failPeeringWith(String state, String reason) {
    synchronized (model) {
      model.nextPeeringOutcome(new AivenModel.PeeringOutcome(Objects.requireNonNull(state, "state"),
          Objects.requireNonNull(reason, "reason")));
    }
    return this;
  }

  /**
   * Makes the next peering connection created end {@code REJECTED_BY_PEER} once approved.
   *
   * @return this fake
   */
  public FakeAiven rejectByPeer() {
    return failPeeringWith("REJECTED_BY_PEER", "The peer rejected the peering connection");
  }

  /**
   * Acts as if the Azure side deleted its peering: the live connections with this peer become
   * {@code DELETED_BY_PEER}.
   *
   * @param subscriptionId the peer's subscription, as the connections name it
   * @param resourceGroup the peer's resource group
   * @param vnetName the peer's VNet
   * @return how many connections changed
   */
  public int deleteByPeer(String subscriptionId, String resourceGroup, String vnetName) {
    synchronized (model) {
      return model.deleteByPeer(subscriptionId, resourceGroup, vnetName);
    }
  }

  /**
   * The requests answered so far, oldest first.
   *
   * @return the requests answered so far, oldest first
   */
  public List<AivenRequest> requests() {
    return log.snapshot();
  }

  /**
   * Writes the request log to {@code dir/aiven-requests.jsonl}, one JSON object a line, and returns that file.
   *
   * @param dir the folder to write to; made if missing
   * @return the file written, {@code dir/aiven-requests.jsonl}
   */
  public Path writeRequestLog(Path dir) {
    return log.write(dir, "aiven-requests.jsonl");
  }

  @Override
  public void close() {
    server.close();
  }

  private LoopbackServer.Reply handle(LoopbackServer.Call call) {
    LoopbackServer.Reply reply = answer(call);
    log.add(new AivenRequest(call.method(), call.path(), call.body(), reply.status()));
    return reply;
  }

  private LoopbackServer.Reply answer(LoopbackServer.Call call) {
    if (!call.header("Authorization").equals(Optional.of("aivenv1 " + token.reveal()))) {
      return error(401, "Invalid token");
    }
    Optional<FailureRules.Failure> failure = failures.next(call.method(), call.path());
    if (failure.isPresent() && failure.get().losesAnswer()) {
      return effect(call).lost();
    }
    if (failure.isPresent()) {
      int status = failure.get().status();
      LoopbackServer.Reply reply = error(status, failure.get().message());
      return status == 429 || status == 503
          ? new LoopbackServer.Reply(status, reply.body(), Map.of("Retry-After", "1")) : reply;
    }
    return effect(call);
  }

  private LoopbackServer.Reply effect(LoopbackServer.Call call) {
    try {
      JsonNode body = call.body() == null ? JSON.createObjectNode() : JSON.readTree(call.body());
      synchronized (model) {
        return new LoopbackServer.Reply(200, JSON.writeValueAsString(route(call.method(), segments(call.path()),
            body)));
      }
    } catch (JsonProcessingException e) {
      return error(400, "Invalid JSON in request body");
    } catch (AivenModel.ApiError e) {
      return error(e.status, e.getMessage());
    }
  }

  private JsonNode route(String method, List<String> s, JsonNode body) {
    if (s.size() >= 3 && s.get(0).equals("v1") && s.get(1).equals("project")) {
      String p = s.get(2);
      List<String> rest = s.subList(3, s.size());
      if (rest.size() >= 1 && rest.get(0).equals("vpcs")) {
        switch (method + " " + rest.size()) {
          case "GET 1": return model.listVpcs(p);
          case "POST 1": return model.createVpc(p, body);
          case "GET 2": return model.getVpc(p, rest.get(1));
          case "DELETE 2": return model.deleteVpc(p, rest.get(1));
          case "POST 3":
            if (rest.get(2).equals("peering-connections")) {
              return model.createPeering(p, rest.get(1), body);
            }
            break;
          case "DELETE 9":
            if (rest.get(2).equals("peering-connections") && rest.get(3).equals("peer-accounts")
                && rest.get(5).equals("peer-resource-groups") && rest.get(7).equals("peer-vpcs")) {
              return model.deletePeering(p, rest.get(1), rest.get(4), rest.get(6), rest.get(8));
            }
            break;
          default:
            break;
        }
      } else if (rest.size() >= 1 && rest.get(0).equals("service")) {
        switch (method + " " + rest.size()) {
          case "GET 1": return model.listServices(p);
          case "POST 1": return model.createService(p, body);
          case "GET 2": return model.getService(p, rest.get(1));
          case "PUT 2": return model.updateService(p, rest.get(1), body);
          case "DELETE 2": return model.deleteService(p, rest.get(1));
          case "GET 3":
            if (rest.get(2).equals("tags")) {
              return model.serviceTags(p, rest.get(1));
            }
            break;
          case "PUT 3":
            if (rest.get(2).equals("tags")) {
              return model.replaceServiceTags(p, rest.get(1), body);
            }
            break;
          default:
            break;
        }
      }
    }
    throw new AivenModel.ApiError(404, "Not found");
  }

  /** The path's segments, each decoded on its own, as Aiven does. */
  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.substring(1).split("/", -1)) {
      // URLDecoder would turn '+' into a space; in a path it is a plus.
      segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return segments;
  }

  private static LoopbackServer.Reply error(int status, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("message", message);
    ObjectNode error = body.putArray("errors").addObject();
    error.put("message", message);
    error.put("status", status);
    return new LoopbackServer.Reply(status, body.toString());
  }

  /** Settings of a {@link FakeAiven}; {@link #build()} starts it. */
  public static final class Builder {
    private String token = "fake-aiven-" + UUID.randomUUID();
    private final Set<String> projects = new LinkedHashSet<>();
    private double timeScale = 1000;
    private TimeSource time;
    private AivenDurations durations = AivenDurations.QUICK;
    private Predicate<String> azurePeered = networkId -> false;
    private String mstTenantId = UUID.randomUUID().toString();
    private String mstSubscriptionId = UUID.randomUUID().toString();

    private Builder() {}

    /**
     * The token requests must carry; a random one by default.
     *
     * @param token the token requests must carry
     * @return this builder
     */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Accepts only these projects (404 for others); by default any project exists.
     *
     * @param names the projects that exist
     * @return this builder
     */
    public Builder projects(String... names) {
      projects.addAll(List.of(names));
      return this;
    }

    /**
     * How much faster than real time states change; 1000 by default, so a 3-minute build lasts 0.18 s.
     *
     * @param scale how much faster than real time states change
     * @return this builder
     */
    public Builder timeScale(double scale) {
      this.timeScale = scale;
      this.time = null;
      return this;
    }

    /**
     * The clock that drives states, such as the one the engine under test uses; replaces {@link #timeScale}.
     *
     * @param time the clock that drives states, such as the one the engine under test uses
     * @return this builder
     */
    public Builder time(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * How long, in simulated time, a VPC stays {@code APPROVED}; 20 s by default.
     *
     * @param d how long, in simulated time, a VPC stays {@code APPROVED}
     * @return this builder
     */
    public Builder vpcBuild(Duration d) {
      durations = durations.withVpcBuild(d);
      return this;
    }

    /**
     * How long a service stays {@code REBUILDING}; 40 s by default.
     *
     * @param d how long a service stays {@code REBUILDING}
     * @return this builder
     */
    public Builder serviceBuild(Duration d) {
      durations = durations.withServiceBuild(d);
      return this;
    }

    /**
     * How long a peering connection stays {@code APPROVED}; 10 s by default.
     *
     * @param d how long a peering connection stays {@code APPROVED}
     * @return this builder
     */
    public Builder peeringApproval(Duration d) {
      durations = durations.withPeeringApproval(d);
      return this;
    }

    /**
     * How long after Aiven sees the Azure side's peering a connection becomes {@code ACTIVE}; 10 s by default.
     *
     * @param d how long after Aiven sees the Azure side's peering a connection becomes {@code ACTIVE}
     * @return this builder
     */
    public Builder peeringActivation(Duration d) {
      durations = durations.withPeeringActivation(d);
      return this;
    }

    /**
     * How long a connection reports {@code PENDING_PEER} with a null {@code state_info}, without MST's tenant and
     * VNet, as Aiven has been seen to; zero by default.
     *
     * @param d how long a connection reports {@code PENDING_PEER} with a null {@code state_info}, without MST's tenant
     *     and VNet, as Aiven has been seen to
     * @return this builder
     */
    public Builder pendingPeerInfoDelay(Duration d) {
      durations = durations.withPendingPeerInfo(Objects.requireNonNull(d, "d"));
      return this;
    }

    /**
     * Durations like MST's on Azure: VPC 3 min, service 8 min, peering 1 min to {@code PENDING_PEER} and 1 min to
     * {@code ACTIVE} after the Azure side, VPC deletion 1 min, peering deletion 30 s.
     *
     * @return this builder
     */
    public Builder realisticDurations() {
      durations = AivenDurations.REALISTIC.withPendingPeerInfo(durations.pendingPeerInfo());
      return this;
    }

    /**
     * Tells whether the Azure side has peered its VNet to the MST VNet with this resource id; a connection leaves
     * {@code PENDING_PEER} only then. Nothing is peered by default. It is asked while the fake answers a request.
     *
     * @param toNetworkIdPeered whether the Azure side has peered with the MST VNet of this resource id
     * @return this builder
     */
    public Builder azurePeered(Predicate<String> toNetworkIdPeered) {
      this.azurePeered = Objects.requireNonNull(toNetworkIdPeered, "toNetworkIdPeered");
      return this;
    }

    /**
     * The tenant of MST's VNets; random by default.
     *
     * @param tenantId the tenant of MST's VNets
     * @return this builder
     */
    public Builder mstTenantId(String tenantId) {
      this.mstTenantId = Objects.requireNonNull(tenantId, "tenantId");
      return this;
    }

    /**
     * The subscription of MST's VNets; random by default.
     *
     * @param subscriptionId the subscription of MST's VNets
     * @return this builder
     */
    public Builder mstSubscriptionId(String subscriptionId) {
      this.mstSubscriptionId = Objects.requireNonNull(subscriptionId, "subscriptionId");
      return this;
    }

    /**
     * Starts the fake on 127.0.0.1 and a free port.
     *
     * @return the running fake
     */
    public FakeAiven build() {
      return new FakeAiven(this);
    }
  }
}
