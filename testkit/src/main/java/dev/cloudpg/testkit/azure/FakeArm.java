package dev.cloudpg.testkit.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cloudpg.spi.TimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A fake of Azure Resource Manager on a loopback port, for tests that drive the real Azure SDK without a cloud.
 *
 * <p>It keeps any resource PUT to it (ids compare ignoring case, as in ARM), answers GET, DELETE, HEAD and the list
 * calls an installer needs, and behaves like ARM where clients notice: long-running operations with
 * {@code Azure-AsyncOperation} / {@code Location} polling that take a simulated time, read-only properties ARM
 * computes (identity principals, storage endpoints, the cluster's OIDC issuer and node resource group, public
 * addresses, peering states), AKS's one-operation-at-a-time 409, role assignment conflicts, ARM's error bodies and
 * {@code x-ms-request-id}. Every request needs {@code Authorization: Bearer ...} (any token) and an
 * {@code api-version}.
 *
 * <h2>Pointing cloudpg at it</h2>
 * {@code AzureCloud.builder().subscription(..).tenant(arm.tenantId()).region(..).credential(anyToken)
 * .endpointOverride(arm.endpoint())} sends every ARM request here through the SDK's own pipeline.
 *
 * <h2>Pointing the Azure SDK at it</h2>
 * The SDK's bearer-token policies refuse plain http, so a per-service manager gets a pipeline of its own: the JDK HTTP
 * client, the standard retry policy and a policy that sets the bearer header from the credential; and a profile
 * whose environment names the fake for every endpoint the managers read. The fake's polling URLs are absolute URLs
 * on its own endpoint, so polls come back to it.
 *
 * <pre>{@code
 * try (FakeArm arm = FakeArm.builder().realisticDurations().build()) {
 *   String endpoint = arm.endpoint().toString();
 *   AzureProfile profile = new AzureProfile(arm.tenantId(), subscriptionId, new AzureEnvironment(Map.of(
 *       "resourceManagerEndpointUrl", endpoint, "managementEndpointUrl", endpoint,
 *       "microsoftGraphResourceId", endpoint, "activeDirectoryGraphResourceId", endpoint,
 *       "activeDirectoryEndpointUrl", endpoint)));
 *   TokenCredential credential = request -> Mono.just(new AccessToken("test", OffsetDateTime.now().plusHours(1)));
 *   TokenRequestContext scope = new TokenRequestContext().addScopes(endpoint + ".default");
 *   HttpPipelinePolicy bearer = (context, next) -> credential.getToken(scope).flatMap(token -> {
 *     context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token.getToken());
 *     return next.process();
 *   });
 *   HttpPipeline pipeline = new HttpPipelineBuilder().httpClient(new JdkHttpClientBuilder().build())
 *       .policies(new RetryPolicy(), bearer).build();
 *   ContainerServiceManager aks = ContainerServiceManager.authenticate(pipeline, profile);
 *   aks.serviceClient().getManagedClusters().beginCreateOrUpdate(group, name, cluster);
 * }
 * }</pre>
 *
 * A cross-tenant call adds {@code x-ms-authorization-auxiliary} with an {@code AddHeadersPolicy} in that pipeline.
 * The SDK's pollers take the delay between polls from {@code Retry-After} in whole seconds only (azure-core-management
 * reads no finer header there, and 0 falls back to the client's 30 s default), so the fake sends 1 and each
 * {@code SyncPoller} wait lasts at least a second; a provider that polls the resource with GET until
 * {@code properties.provisioningState} is {@code Succeeded} can go as fast as the fake's time scale.
 *
 * <h2>Time</h2>
 * Operations take their simulated durations on the fake's clock: real time sped up {@link Builder#timeScale} times by
 * default, or the clock given to {@link Builder#time}. Give the fakes and the cloud one virtual clock and a run costs
 * only the CPU it needs, with exact simulated durations: the engine, on a virtual clock, makes its calls one at a time
 * and jumps the clock to the next poll when every step waits, and the fakes read the same clock.
 *
 * <pre>{@code
 * VirtualClock clock = TimeSource.virtual(Instant.parse("2030-01-01T00:00:00Z"));
 * try (FakeKubernetes kube = FakeKubernetes.start(Duration.ofMinutes(4), clock);
 *     FakeArm arm = FakeArm.builder().realisticDurations().time(clock).kubernetesApiServer(kube.apiServer()).build();
 *     AzureCloud cloud = AzureCloud.builder().subscription(..).tenant(arm.tenantId()).region(..)
 *         .credential(anyToken).endpointOverride(arm.endpoint()).timeSource(clock).build()) {
 *   cloud.apply(stack);            // AKS's 8 minutes are 8 minutes on the clock, and milliseconds of real time
 * }
 * }</pre>
 *
 * The SDK's own pollers ({@code SyncPoller}) wait in real time whatever the clock; cloudpg never waits on them.
 *
 * <p>It listens on 127.0.0.1 only and never calls anything; {@link #close()} stops it. Its threads are daemons.
 */
public final class FakeArm implements AutoCloseable {
  /** The tenant id used when the builder sets none. */
  public static final String DEFAULT_TENANT_ID = "72f988bf-0000-4000-8000-00000000cafe";

  private final HttpServer server;
  private final ExecutorService executor;
  private final URI endpoint;
  private final String tenantId;
  private final ArmStore store;
  private final ArmFaults faults = new ArmFaults();
  private final ArmRequestLog log;
  private final TimeSource time;
  private final Map<String, Duration> durations;

  private FakeArm(Builder b) {
    ObjectMapper json = new ObjectMapper();
    this.tenantId = b.tenantId;
    this.time = b.time != null ? b.time : TimeSource.scaled(Instant.now(), b.timeScale);
    this.log = new ArmRequestLog(json, b.requestLog);
    this.durations = Map.copyOf(b.durations);
    this.store = new ArmStore(json, new ArmRules(json, b.tenantId, b.seed, b.kubernetesApiServer), new ArmRoles(json),
        Map.copyOf(b.durations), time);
    try {
      server = LoopbackHttp.server();
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on a loopback port", e);
    }
    this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fake-arm");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", new ArmHandler(json, store, faults, log, endpoint.toString(), time));
    server.start();
  }

  /** {@return a builder for a fake with instant operations, a time scale of 1000 and the default tenant} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the base URI, {@code http://127.0.0.1:<port>/}: the resource manager endpoint to give the SDK} */
  public URI endpoint() {
    return endpoint;
  }

  /** {@return the clock operations take their simulated time on: the builder's, or scaled real time} */
  public TimeSource time() {
    return time;
  }

  /** {@return the tenant the fake's identities and OIDC issuers belong to} */
  public String tenantId() {
    return tenantId;
  }

  /**
   * Answers the next {@code times} requests that match with an ARM error instead.
   *
   * @param method an HTTP method, or {@code "*"} for any
   * @param pathRegex a regular expression found in the request path (without the query), ignoring case as ARM does
   * @param status the HTTP status, e.g. 409, 403, 400, 429
   * @param code the ARM error code, e.g. {@code OperationNotAllowed}, {@code AuthorizationFailed}
   * @param message the error message
   * @param times how many matching requests fail; faults are used up in the order they were added
   */
  public void failNext(String method, String pathRegex, int status, String code, String message, int times) {
    faults.add(new ArmFaults.Fault(method, path(pathRegex), status, code, message, null), times);
  }

  /**
   * Like {@link #failNext(String, String, int, String, String, int)}, and the error carries a {@code Retry-After}
   * of {@code retryAfter} (simulated time: the header {@code x-ms-retry-after-ms}, which azure-core's retry policy
   * reads first, carries it scaled).
   *
   * @param method an HTTP method, or {@code "*"} for any
   * @param pathRegex a regular expression found in the request path (without the query), ignoring case as ARM does
   * @param status the HTTP status
   * @param code the ARM error code
   * @param message the error message
   * @param times how many matching requests fail
   * @param retryAfter how long the answer asks the client to wait, in simulated time
   */
  public void failNext(String method, String pathRegex, int status, String code, String message, int times,
      Duration retryAfter) {
    faults.add(new ArmFaults.Fault(method, path(pathRegex), status, code, message,
        Objects.requireNonNull(retryAfter, "retryAfter")), times);
  }

  /** ARM's paths ignore case: so do the faults'. */
  private static Pattern path(String pathRegex) {
    return Pattern.compile(pathRegex, Pattern.CASE_INSENSITIVE);
  }

  /**
   * Lets the next request that matches take effect and drops its answer: the connection closes without a status line,
   * as when a connection resets after ARM accepted the request.
   *
   * @param method an HTTP method, or {@code "*"} for any
   * @param pathRegex a regular expression found in the request path (without the query), ignoring case as ARM does
   */
  public void loseAnswerOnce(String method, String pathRegex) {
    faults.add(new ArmFaults.Fault(method, path(pathRegex), ArmFaults.LOSE_ANSWER, "", "", null), 1);
  }

  /**
   * How many of the planned faults (errors and lost answers) have not fired yet: a test that injects one can check
   * that the request it aimed at was made.
   *
   * @return the number of faults still waiting for their request
   */
  public int unusedFaults() {
    return faults.unused();
  }

  /** Forgets the faults not used yet. */
  public void clearFaults() {
    faults.clear();
  }

  /** {@return every request answered so far, in order} */
  public List<ArmRequest> requests() {
    return log.all();
  }

  /** {@return how many requests so far could have changed something (see {@link ArmRequest#mutating()})} */
  public int mutatingRequests() {
    return (int) log.all().stream().filter(ArmRequest::mutating).count();
  }

  /**
   * How long an operation on a resource of an ARM type takes here, in simulated time, as {@link Builder#duration}
   * set it.
   *
   * @param resourceType an ARM type, such as {@code Microsoft.ContainerService/managedClusters/agentPools}; case is
   *     ignored
   * @return its duration, zero for a type not set
   */
  public Duration duration(String resourceType) {
    return durations.getOrDefault(resourceType.toLowerCase(Locale.ROOT), Duration.ZERO);
  }

  /**
   * Writes every request so far to {@code dir}, one numbered JSON file each ({@code 0001-PUT-managedClusters-
   * name.json}) with method, path, api-version, status and the redacted body.
   *
   * @param dir the directory, made if missing
   */
  public void writeRequestLog(Path dir) {
    log.writeAll(dir);
  }

  /**
   * Adds a virtual network that exists before the test starts, such as the application network a stack peers with:
   * in {@code resourceGroup} (made when absent), provisioned, with one address prefix and no subnets. It is not the
   * stack's: nothing tags it.
   *
   * @param subscription the subscription id
   * @param resourceGroup the resource group's name
   * @param name the network's name
   * @param location the region, such as {@code westeurope}
   * @param cidr the address prefix, such as {@code 10.20.0.0/16}
   * @return the network's resource id
   */
  public String addVirtualNetwork(String subscription, String resourceGroup, String name, String location,
      String cidr) {
    return store.seedVirtualNetwork(subscription, resourceGroup, name, location, cidr);
  }

  /**
   * A copy of the resource with this id (any case) as a GET would answer it, if it exists.
   *
   * @param id the resource id
   * @return the resource's JSON, or empty
   */
  public Optional<JsonNode> resource(String id) {
    return store.snapshot(id);
  }

  /**
   * Copies of every resource of a type.
   *
   * @param type an ARM type, e.g. {@code Microsoft.Network/virtualNetworks/virtualNetworkPeerings} (any case)
   * @return the resources' JSON
   */
  public List<JsonNode> resources(String type) {
    return store.snapshots(type);
  }

  /**
   * Whether some virtual network here peers with {@code remoteVnetId}: a peering whose remote network is that id
   * (ignoring case), which allows virtual network access and has finished provisioning.
   *
   * @param remoteVnetId the remote VNet's id
   * @return whether such a peering exists
   */
  public boolean hasVnetPeeringTo(String remoteVnetId) {
    return resources("Microsoft.Network/virtualNetworks/virtualNetworkPeerings").stream()
        .map(p -> p.path("properties"))
        .anyMatch(p -> p.path("remoteVirtualNetwork").path("id").asText().equalsIgnoreCase(remoteVnetId)
            && p.path("allowVirtualNetworkAccess").asBoolean(false)
            && "Succeeded".equals(p.path("provisioningState").asText()));
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Settings for a {@link FakeArm}; {@link #build()} starts it. */
  public static final class Builder {
    private double timeScale = 1000;
    private TimeSource time;
    private final Map<String, Duration> durations = new HashMap<>();
    private String tenantId = DEFAULT_TENANT_ID;
    private URI kubernetesApiServer;
    private Path requestLog;
    private long seed = 42;

    private Builder() {
    }

    /**
     * How much faster than real time simulated time runs; 1000 (the default) makes a minute last 60 ms. Ignored when a
     * {@link #time clock} is given.
     *
     * @param timeScale how much faster than real time simulated time runs
     * @return this builder
     */
    public Builder timeScale(double timeScale) {
      if (!(timeScale > 0)) {
        throw new IllegalArgumentException("timeScale must be positive: " + timeScale);
      }
      this.timeScale = timeScale;
      return this;
    }

    /**
     * The clock operations take their simulated time on, instead of real time sped up by {@link #timeScale}: give it
     * the clock of the cloud under test, such as a {@link TimeSource#virtual virtual clock} shared with {@code
     * AzureCloud.builder().timeSource(..)} (and {@link FakeKubernetes#start(Duration, TimeSource)}), and an operation
     * is done exactly when that clock has moved on by its duration, however fast the run goes.
     *
     * @param time the clock
     * @return this builder
     */
    public Builder time(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * How long creating, updating or deleting a resource of an ARM type takes in simulated time, e.g. {@code
     * duration("Microsoft.ContainerService/managedClusters", Duration.ofMinutes(8))}. The type compares ignoring case.
     * Types not set are instant.
     *
     * @param resourceType an ARM type, such as {@code Microsoft.ContainerService/managedClusters}
     * @param simulated how long its operations take, in simulated time
     * @return this builder
     */
    public Builder duration(String resourceType, Duration simulated) {
      if (simulated.isNegative()) {
        throw new IllegalArgumentException("negative duration for " + resourceType);
      }
      durations.put(resourceType.toLowerCase(Locale.ROOT), simulated);
      return this;
    }

    /**
     * Durations close to Azure's for the types a PostgreSQL platform on AKS makes; other types stay instant.
     *
     * @return this builder
     */
    public Builder realisticDurations() {
      return duration("Microsoft.ContainerService/managedClusters", Duration.ofMinutes(8))
          .duration("Microsoft.ContainerService/managedClusters/agentPools", Duration.ofMinutes(5))
          .duration("Microsoft.Storage/storageAccounts", Duration.ofSeconds(30))
          .duration("Microsoft.Dashboard/grafana", Duration.ofMinutes(4))
          .duration("Microsoft.Monitor/accounts", Duration.ofMinutes(1))
          .duration("Microsoft.OperationalInsights/workspaces", Duration.ofSeconds(30))
          .duration("Microsoft.Network/publicIPAddresses", Duration.ofSeconds(10))
          .duration("Microsoft.Network/virtualNetworks", Duration.ofSeconds(10))
          .duration("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", Duration.ofSeconds(20));
    }

    /**
     * The tenant of identities and OIDC issuers.
     *
     * @param tenantId a tenant id (a GUID)
     * @return this builder
     */
    public Builder tenantId(String tenantId) {
      this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
      return this;
    }

    /**
     * The Kubernetes API server the clusters' kubeconfigs point at (plain http, token user), e.g. {@link
     * FakeKubernetes#apiServer()}. Without one they point at a host name that never resolves.
     *
     * @param apiServer the Kubernetes API server, such as {@code FakeKubernetes.apiServer()}
     * @return this builder
     */
    public Builder kubernetesApiServer(URI apiServer) {
      this.kubernetesApiServer = apiServer;
      return this;
    }

    /**
     * Also writes each request to this directory as it is answered (see {@link FakeArm#writeRequestLog}).
     *
     * @param dir the directory
     * @return this builder
     */
    public Builder requestLog(Path dir) {
      this.requestLog = dir;
      return this;
    }

    /**
     * The seed of generated ids and addresses; the same seed and requests give the same values.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Starts the fake on a free loopback port.
     *
     * @return the running fake; close it to stop it
     */
    public FakeArm build() {
      return new FakeArm(this);
    }
  }
}
