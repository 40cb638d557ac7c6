package dev.cloudpg.aws;

import dev.cloudpg.ApplyOptions;
import dev.cloudpg.DatabaseOutputs;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Network;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.Violation;
import dev.cloudpg.aws.internal.AwsContext;
import dev.cloudpg.aws.internal.AwsErrors;
import dev.cloudpg.aws.internal.Disconnector;
import dev.cloudpg.aws.internal.AwsProvider;
import dev.cloudpg.aws.internal.AwsRules;
import dev.cloudpg.aws.internal.ClusterLookup;
import dev.cloudpg.spi.AbstractCloud;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.Endpoints;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.WaitPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * cloudpg on AWS: a {@link dev.cloudpg.Network} becomes a VPC with a subnet per availability zone, a security group
 * and a DB subnet group; a {@link dev.cloudpg.PostgresCluster} an Aurora PostgreSQL cluster with one writer and
 * readers spread over the zones; a {@link dev.cloudpg.Peering} a VPC peering connection to the application's VPC (by
 * id, tag or an instance's private DNS name, in any region) with routes both ways and the database port open to the
 * peer's CIDRs only.
 *
 * <pre>{@code
 * try (AwsCloud cloud = AwsCloud.builder().region("eu-west-1").build()) {   // default credential chain
 *   StackOutputs out = cloud.apply(stack, ProvisioningListener.console());
 *   out.database("keycloak").writerEndpoint();
 * }
 * }</pre>
 *
 * <p>Every resource carries the tags {@code cloudpg:stack} and {@code cloudpg:key} and is found again by them or by
 * its deterministic name (the DB cluster identifier is the database's name unless {@link AuroraOptions} says
 * otherwise). The SDK uses the light {@code url-connection-client}; no call is made before the first plan. The SDK
 * clients make each request once, within 30 seconds: the engine is the only layer that retries (throttling, 5xx,
 * connection resets, AWS's eventual consistency), and it looks for what a create made before it sends it again.
 * Thread-safe.
 */
public final class AwsCloud extends AbstractCloud {
  private final AwsContext aws;

  private AwsCloud(AwsContext aws, TimeSource time) {
    super(new AwsProvider(aws), time);
    this.aws = aws;
  }

  /**
   * A builder; only the region is required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The region of the stacks this cloud provisions.
   *
   * @return the region's name, such as {@code eu-west-1}
   */
  public String region() {
    return aws.region();
  }

  /**
   * The endpoints of an existing Aurora cluster, made by cloudpg or not: writer and reader endpoints, port and the
   * ARN of its managed password secret.
   *
   * @param clusterIdentifier the DB cluster identifier
   * @return the cluster's outputs; empty when the region has no cluster with this identifier
   * @throws dev.cloudpg.ProviderException when AWS refuses the request
   * @throws NullPointerException if {@code clusterIdentifier} is null
   */
  public Optional<DatabaseOutputs> database(String clusterIdentifier) {
    return ClusterLookup.find(aws, Objects.requireNonNull(clusterIdentifier, "clusterIdentifier"));
  }

  /**
   * The writer endpoint of an existing Aurora cluster, as procedure A reads it: {@link #database(String)}'s
   * {@link DatabaseOutputs#writerEndpoint()}.
   *
   * @param clusterIdentifier the DB cluster identifier
   * @return the writer endpoint's host name; empty when the region has no cluster with this identifier
   * @throws dev.cloudpg.ProviderException when AWS refuses the request
   * @throws NullPointerException if {@code clusterIdentifier} is null
   */
  public Optional<String> writerEndpoint(String clusterIdentifier) {
    return database(clusterIdentifier).map(DatabaseOutputs::writerEndpoint);
  }

  /**
   * Removes every peering connection cloudpg made from one application VPC to a VPC of this cloud's region, across
   * stacks, with its routes on both sides and the ingress rules it added; nothing else changes. Each affected stack's
   * lease is taken first (waiting up to {@link dev.cloudpg.ApplyOptions#leaseWait()} for a run under way), so a
   * disconnect never races an apply of the same stack. A later apply of a stack whose spec still names that peer
   * makes the peering again; a stack whose spec no longer names it plans nothing.
   *
   * @param vpcIdOrNodeDns the application VPC's id ({@code vpc-...}), or the private DNS name of one of its instances
   *     (in this cloud's region; use {@link #disconnect(PeerNetwork)} for another region or a tag)
   * @return what was removed, one entry per peering connection
   * @throws dev.cloudpg.CloudpgException when there is no such VPC or instance
   * @throws dev.cloudpg.StackLockedException when a stack's lease stays held by another run
   */
  public List<AwsDisconnected> disconnect(String vpcIdOrNodeDns) {
    return disconnect(Disconnector.peerOf(Objects.requireNonNull(vpcIdOrNodeDns, "vpcIdOrNodeDns")));
  }

  /**
   * {@link #disconnect(String)} for an application VPC given as a peer: by id, tag or node DNS name, any region.
   *
   * @param applicationVpc the application VPC
   * @return what was removed, one entry per peering connection
   * @throws dev.cloudpg.CloudpgException when the peer names no VPC
   * @throws dev.cloudpg.StackLockedException when a stack's lease stays held by another run
   * @throws NullPointerException if {@code applicationVpc} is null
   */
  public List<AwsDisconnected> disconnect(PeerNetwork applicationVpc) {
    Objects.requireNonNull(applicationVpc, "applicationVpc");
    try {
      return new Disconnector(aws, time()).disconnect(applicationVpc, ApplyOptions.defaults().leaseWait());
    } catch (RuntimeException e) {
      throw AwsErrors.translate(e);
    }
  }

  /** Closes the SDK clients and, unless it was given, the HTTP client. */
  @Override
  public void close() {
    aws.close();
  }

  /** Builds an {@link AwsCloud}. */
  public static final class Builder {
    private String region;
    private AwsCredentialsProvider credentials;
    private URI endpoint;
    private SdkHttpClient httpClient;
    private final List<ExecutionInterceptor> interceptors = new ArrayList<>();
    private TimeSource time = TimeSource.system();
    private WaitPolicy waitPolicy;
    private String addressPool = "10.0.0.0/8";
    private int networkPrefix = 20;

    private Builder() {}

    /**
     * The region, such as {@code eu-west-1}; required (the {@code AWS_REGION} environment variable otherwise).
     *
     * @param region the region's name; checked by {@link #build()}
     * @return this builder
     * @throws NullPointerException if {@code region} is null
     */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /**
     * The credentials; the SDK's default chain (environment, profile, container, instance role) otherwise.
     *
     * @param credentials the credentials provider of every SDK client
     * @return this builder
     * @throws NullPointerException if {@code credentials} is null
     */
    public Builder credentialsProvider(AwsCredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Sends every request to this endpoint instead of AWS's: a local moto_server or LocalStack, say.
     *
     * @param endpoint the endpoint's URI, such as {@code http://localhost:5000}
     * @return this builder
     * @throws NullPointerException if {@code endpoint} is null
     */
    public Builder endpointOverride(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * The HTTP client of the SDK clients, which the cloud will not close; a url-connection client otherwise.
     *
     * @param httpClient the HTTP client, which the caller closes
     * @return this builder
     * @throws NullPointerException if {@code httpClient} is null
     */
    public Builder httpClient(SdkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Adds an SDK interceptor to every client, such as an {@link AwsCallCounter}.
     *
     * @param interceptor the interceptor, added after those already added
     * @return this builder
     * @throws NullPointerException if {@code interceptor} is null
     */
    public Builder addInterceptor(ExecutionInterceptor interceptor) {
      this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * The clock and sleeper of waits and retries; real time otherwise.
     *
     * @param time the time source
     * @return this builder
     * @throws NullPointerException if {@code time} is null
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * One wait policy for every resource, instead of each type's own (clusters poll every 10 to 30 s for up to two
     * hours); for emulators that answer at once.
     *
     * @param waitPolicy the wait policy of every resource
     * @return this builder
     * @throws NullPointerException if {@code waitPolicy} is null
     */
    public Builder waitPolicy(WaitPolicy waitPolicy) {
      this.waitPolicy = Objects.requireNonNull(waitPolicy, "waitPolicy");
      return this;
    }

    /**
     * Where networks without a CIDR get theirs: the first {@code /prefixLength} block of {@code pool} that overlaps
     * no VPC of the stack's region or of a peer's region and no CIDR declared in the stack. Default: {@code /20}
     * blocks of {@code 10.0.0.0/8}.
     *
     * @param pool the pool, a CIDR block without host bits such as {@code 10.0.0.0/8}; checked by {@link #build()}
     * @param prefixLength the prefix length of each network's block, from the pool's own (and at least
     *     {@link Network#MIN_PREFIX}) to 25; checked by {@link #build()}
     * @return this builder
     * @throws NullPointerException if {@code pool} is null
     */
    public Builder addressPool(String pool, int prefixLength) {
      this.addressPool = Objects.requireNonNull(pool, "pool");
      this.networkPrefix = prefixLength;
      return this;
    }

    /**
     * The cloud. No AWS call is made yet; without credentials or an HTTP client of its own it uses the SDK's default
     * chain and a new url-connection client, which {@link AwsCloud#close()} closes.
     *
     * @return the cloud
     * @throws InvalidSpecException naming the setting when the region (or, without one, {@code AWS_REGION}) is
     *     missing or not valid, the address pool or prefix length is not valid, or the endpoint override is not an
     *     https URI with a host (or http to loopback) without user-info
     */
    public AwsCloud build() {
      String chosen = region != null ? region : System.getenv("AWS_REGION");
      List<Violation> problems = new ArrayList<>();
      if (chosen == null) {
        problems.add(new Violation("region", "", "is required: call region(..) or set AWS_REGION"));
      } else if (!AwsRules.REGION.matcher(chosen).matches()) {
        problems.add(new Violation("region", chosen, "is not an AWS region name such as eu-west-1"));
      }
      Optional<Cidr> pool = Cidr.tryParse(addressPool);
      if (pool.isEmpty() || !pool.get().toString().equals(addressPool)) {
        problems.add(new Violation("addressPool", addressPool, "is not a CIDR block without host bits"));
      } else if (networkPrefix < Math.max(Network.MIN_PREFIX, pool.get().prefix()) || networkPrefix > 25) {
        problems.add(new Violation("addressPool.prefixLength", String.valueOf(networkPrefix), "must be between /"
            + Math.max(Network.MIN_PREFIX, pool.get().prefix()) + " and /25 (so that each zone gets a /28 or more)"));
      }
      if (endpoint != null && (!Endpoints.safeForCredentials(endpoint) || endpoint.getRawUserInfo() != null)) {
        String shown = endpoint.getRawUserInfo() == null ? endpoint.toString()
            : endpoint.toString().replace(endpoint.getRawUserInfo() + "@", "****@");
        problems.add(new Violation("endpointOverride", shown, "must be an https URI with a host, or http to this "
            + "machine (an emulator on loopback), and carry no user-info: signed requests travel to it"));
      }
      if (!problems.isEmpty()) {
        throw new InvalidSpecException(problems);
      }
      boolean ownsHttp = httpClient == null;
      SdkHttpClient http = ownsHttp ? UrlConnectionHttpClient.create() : httpClient;
      AwsCredentialsProvider creds = credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
      return new AwsCloud(new AwsContext(chosen, creds, http, ownsHttp, endpoint, interceptors, pool.get(),
          networkPrefix, waitPolicy), time);
    }
  }
}
