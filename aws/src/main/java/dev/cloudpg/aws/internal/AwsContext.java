package dev.cloudpg.aws.internal;

import dev.cloudpg.CloudpgException;
import dev.cloudpg.PeerNetwork;
import dev.cloudpg.spi.Cidr;
import dev.cloudpg.spi.WaitPolicy;
import dev.cloudpg.spi.Text;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcCidrBlockAssociation;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * What every AWS resource shares: the SDK clients (one EC2 client per region in use, one RDS client), the address pool,
 * wait policies, and the availability zones of each region, read once.
 *
 * <p>The clients make each request once: their own retries are off ({@link AwsRetryStrategy#doNotRetry()}), since
 * the engine is the only layer that retries, and it reads before it resends a create whose answer was lost (EC2's
 * {@code CreateVpc}, {@code CreateSubnet}, {@code CreateSecurityGroup} and {@code CreateVpcPeeringConnection} take no
 * client token, so a blind resend makes a second one). Each call is bounded by {@link #API_CALL_TIMEOUT}.
 */
public final class AwsContext implements AutoCloseable {
  /** The longest one API call may take, connection and answer included, before it fails as a transient error. */
  static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);

  private final String region;
  private final AwsCredentialsProvider credentials;
  private final SdkHttpClient http;
  private final boolean ownsHttp;
  private final URI endpoint;
  private final List<ExecutionInterceptor> interceptors;
  private final Cidr addressPool;
  private final int networkPrefix;
  private final WaitPolicy waitOverride;
  private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
  private final Map<String, List<String>> zones = new ConcurrentHashMap<>();
  private final ReentrantLock allocation = new ReentrantLock();
  private final Map<String, TaggingClient> tagging = new ConcurrentHashMap<>();
  private final Map<String, Optional<String>> defaultMinors = new ConcurrentHashMap<>();
  private volatile RdsClient rds;
  private volatile DynamoDbClient dynamo;

  /**
   * @param endpoint every client's endpoint instead of AWS's, or null
   * @param waitOverride the wait policy of every resource instead of its own, or null
   */
  public AwsContext(String region, AwsCredentialsProvider credentials, SdkHttpClient http, boolean ownsHttp,
      URI endpoint, List<ExecutionInterceptor> interceptors, Cidr addressPool, int networkPrefix,
      WaitPolicy waitOverride) {
    this.region = region;
    this.credentials = credentials;
    this.http = http;
    this.ownsHttp = ownsHttp;
    this.endpoint = endpoint;
    this.interceptors = List.copyOf(interceptors);
    this.addressPool = addressPool;
    this.networkPrefix = networkPrefix;
    this.waitOverride = waitOverride;
  }

  /** The stack's region. */
  public String region() {
    return region;
  }

  /** The EC2 client of the stack's region. */
  Ec2Client ec2() {
    return ec2(region);
  }

  /** The EC2 client of a region, made on first use. */
  Ec2Client ec2(String inRegion) {
    return ec2.computeIfAbsent(inRegion, r -> {
      var builder = Ec2Client.builder().region(Region.of(r)).credentialsProvider(credentials).httpClient(http)
          .overrideConfiguration(this::configure);
      if (endpoint != null) {
        builder.endpointOverride(endpoint);
      }
      return builder.build();
    });
  }

  /** The RDS client of the stack's region, made on first use. */
  public RdsClient rds() {
    RdsClient client = rds;
    if (client == null) {
      synchronized (this) {
        if (rds == null) {
          var builder = RdsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
              .httpClient(http).overrideConfiguration(this::configure);
          if (endpoint != null) {
            builder.endpointOverride(endpoint);
          }
          rds = builder.build();
        }
        client = rds;
      }
    }
    return client;
  }

  /** The Resource Groups Tagging API of a region, made on first use. */
  TaggingClient tagging(String inRegion) {
    return tagging.computeIfAbsent(inRegion, r -> new TaggingClient(r, credentials, http, endpoint, interceptors));
  }

  /**
   * The region's default Aurora PostgreSQL version of a major ({@code 17} to {@code 17.9}), as
   * {@code DescribeDBEngineVersions} with {@code DefaultOnly} gives it, asked once; empty when the API gives no answer
   * (an emulator, a permission missing), so that the caller falls back to sending the major.
   */
  Optional<String> defaultMinor(String major) {
    return defaultMinors.computeIfAbsent(major, m -> {
      try {
        return rds().describeDBEngineVersions(b -> b.engine(AuroraClusterResource.ENGINE).engineVersion(m)
            .defaultOnly(true)).dbEngineVersions().stream().map(v -> v.engineVersion())
            .filter(v -> v != null && v.startsWith(m + ".")).findFirst();
      } catch (software.amazon.awssdk.core.exception.SdkException e) {
        return Optional.empty();
      }
    });
  }

  /** The DynamoDB client of the stack's region, where the stacks' leases are kept; made on first use. */
  DynamoDbClient dynamo() {
    DynamoDbClient client = dynamo;
    if (client == null) {
      synchronized (this) {
        if (dynamo == null) {
          var builder = DynamoDbClient.builder().region(Region.of(region)).credentialsProvider(credentials)
              .httpClient(http).overrideConfiguration(this::configure);
          if (endpoint != null) {
            builder.endpointOverride(endpoint);
          }
          dynamo = builder.build();
        }
        client = dynamo;
      }
    }
    return client;
  }

  /** One attempt per call, bounded in time, and the caller's interceptors. */
  private void configure(ClientOverrideConfiguration.Builder c) {
    c.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(API_CALL_TIMEOUT)
        .apiCallAttemptTimeout(API_CALL_TIMEOUT);
    interceptors.forEach(c::addExecutionInterceptor);
  }

  /** A resource's own wait policy, unless the cloud was built with one for all. */
  WaitPolicy waitPolicy(WaitPolicy own) {
    return waitOverride != null ? waitOverride : own;
  }

  Cidr addressPool() {
    return addressPool;
  }

  int networkPrefix() {
    return networkPrefix;
  }

  /** Serialises CIDR allocation with VPC creation, so that two networks never pick the same free block. */
  ReentrantLock allocationLock() {
    return allocation;
  }

  /** The available availability zones of a region, sorted by name, read once. */
  List<String> zones(String inRegion) {
    return zones.computeIfAbsent(inRegion, r -> ec2(r).describeAvailabilityZones(b -> b.filters(
        Tags.filter("state", "available"))).availabilityZones().stream()
        .filter(z -> z.zoneType() == null || "availability-zone".equals(z.zoneType()))
        .map(AvailabilityZone::zoneName).sorted().toList());
  }

  /**
   * Finds the application VPC of a peer by id, by tag, or by the private DNS name of one of its instances.
   *
   * @param path the peer's path in the stack, for messages
   * @throws NoPeerException naming the path and the reference when there is no such VPC, or several carry the tag
   */
  PeerVpc findPeer(PeerNetwork peer, String path) {
    String inRegion = peer.region().orElse(region);
    Ec2Client client = ec2(inRegion);
    switch (peer.kind()) {
      case AWS_VPC: {
        try {
          List<Vpc> vpcs = client.describeVpcs(b -> b.vpcIds(peer.reference())).vpcs();
          if (vpcs.isEmpty()) {
            throw new NoPeerException(path, peer.reference(), "is no VPC in " + inRegion);
          }
          return peerOf(vpcs.get(0), inRegion);
        } catch (Ec2Exception e) {
          if (AwsErrors.code(e).equals("InvalidVpcID.NotFound") || AwsErrors.code(e).equals("InvalidVpcID.Malformed")) {
            throw new NoPeerException(path, peer.reference(), "is no VPC in " + inRegion);
          }
          throw e;
        }
      }
      case AWS_VPC_BY_TAG: {
        String tagKey = peer.tagKey().orElseThrow();
        List<Vpc> vpcs = client.describeVpcs(b -> b.filters(Tags.filter("tag:" + tagKey, peer.reference()))).vpcs();
        if (vpcs.size() != 1) {
          throw new NoPeerException(path, tagKey + "=" + peer.reference(), vpcs.isEmpty() ? "tags no VPC in " + inRegion
              : "tags " + vpcs.size() + " VPCs " + vpcs.stream().map(Vpc::vpcId).toList() + " in " + inRegion
                  + "; the tag must select exactly one");
        }
        return peerOf(vpcs.get(0), inRegion);
      }
      case AWS_VPC_OF_INSTANCE: {
        List<Instance> instances = new ArrayList<>();
        client.describeInstancesPaginator(b -> b.filters(Tags.filter("private-dns-name", peer.reference())))
            .reservations().forEach(r -> instances.addAll(r.instances()));
        Optional<String> vpcId = instances.stream().map(Instance::vpcId).filter(v -> v != null).findFirst();
        if (vpcId.isEmpty()) {
          throw new NoPeerException(path, peer.reference(), "is the private DNS name of no instance in " + inRegion);
        }
        return peerOf(client.describeVpcs(b -> b.vpcIds(vpcId.get())).vpcs().get(0), inRegion);
      }
      default:
        throw new NoPeerException(path, peer.kind(), "is not an AWS network");
    }
  }

  /** A peer that finds no application VPC: the path of the reference, its value and what is wrong with it. */
  static final class NoPeerException extends CloudpgException {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final transient Object value;
    private final String problem;

    NoPeerException(String path, Object value, String problem) {
      super(path + ": " + Text.quote(String.valueOf(value)) + " " + problem);
      this.path = path;
      this.value = value;
      this.problem = problem;
    }

    /** Adds the problem to {@code violations}. */
    void addTo(dev.cloudpg.spi.Violations violations) {
      violations.add(path, value, problem);
    }
  }

  /** Every IPv4 block of a VPC: its primary CIDR and the associated ones. */
  static List<String> cidrsOf(Vpc vpc) {
    List<String> cidrs = new ArrayList<>();
    cidrs.add(vpc.cidrBlock());
    for (VpcCidrBlockAssociation a : vpc.cidrBlockAssociationSet()) {
      boolean associated = a.cidrBlockState() == null || a.cidrBlockState().stateAsString() == null
          || "associated".equals(a.cidrBlockState().stateAsString());
      if (associated && a.cidrBlock() != null && !cidrs.contains(a.cidrBlock())) {
        cidrs.add(a.cidrBlock());
      }
    }
    return cidrs;
  }

  private static PeerVpc peerOf(Vpc vpc, String inRegion) {
    return new PeerVpc(vpc.vpcId(), inRegion, cidrsOf(vpc));
  }

  @Override
  public void close() {
    ec2.values().forEach(Ec2Client::close);
    if (rds != null) {
      rds.close();
    }
    if (dynamo != null) {
      dynamo.close();
    }
    if (ownsHttp) {
      http.close();
    }
  }
}
