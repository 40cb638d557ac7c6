package dev.cloudpg.mst;

import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Secret;
import dev.cloudpg.Violation;
import dev.cloudpg.azure.AzureCloud;
import dev.cloudpg.azure.spi.AzureSession;
import dev.cloudpg.mst.internal.AivenClient;
import dev.cloudpg.mst.internal.AivenSettings;
import dev.cloudpg.mst.internal.MstContext;
import dev.cloudpg.mst.internal.MstProvider;
import dev.cloudpg.spi.AbstractCloud;
import dev.cloudpg.spi.Endpoints;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.WaitPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * cloudpg on Managed Service for TimescaleDB (MST, run on Aiven), privately peered with an Azure VNet: a
 * {@link dev.cloudpg.Network} becomes the project VPC of the Aiven cloud, a {@link dev.cloudpg.PostgresCluster} a
 * PostgreSQL service with the TimescaleDB variant in it, and a {@link dev.cloudpg.Peering} with
 * {@link dev.cloudpg.PeerNetwork#azureVnet} the whole peering procedure: an Entra ID application and its service
 * principal with Network Contributor on the VNet, a service principal of MST's application with a custom role that
 * may only peer, Aiven's peering connection, and the VNet peering to MST's VNet, which is done once Aiven reports the
 * connection {@code ACTIVE}.
 *
 * <pre>{@code
 * AzureCloud azure = AzureCloud.builder().subscription(subscriptionId).region("westeurope").build();
 * MstCloud mst = MstCloud.builder().project("my-project").cloud("azure-westeurope").azure(azure)
 *     .mstApplicationId(mstAppId)                     // token from AIVEN_TOKEN or the avn credentials file
 *     .build();
 * Stack stack = Stack.builder().name("metrics")
 *     .addNetworks(Network.builder().name("db").cidr("10.20.0.0/24").build())
 *     .addDatabases(PostgresCluster.builder().name("tsdb").network("db").instances(2).build())
 *     .addPeerings(Peering.builder().name("app").network("db")
 *         .peer(PeerNetwork.azureVnet(subscriptionId, "app-rg", "app-vnet").withCidrs("10.1.0.0/16")).build())
 *     .build();
 * StackOutputs out = mst.apply(stack, ProvisioningListener.console());
 * Secret uri = out.database("tsdb").connectionUri().orElseThrow();
 * }</pre>
 *
 * <p>On MST a network needs its {@code cidr}, and a peering its VNet's {@code cidrs}. Every step reports which steps
 * of the procedure it performs as a note event. Aiven accepts lower-case Azure names only: they are sent lower-cased,
 * with a note when that changes one. A service carries the stack's ownership tags and is the stack's by them only. A
 * project VPC carries no tags: the project's VPC in the cloud with the network's CIDR is taken as the stack's, and is
 * deleted only when it holds nothing else. The Entra ID objects carry the tag {@code cloudpg:stack=<project>/<stack>};
 * a service principal of MST's application that existed before the stack is used and left in place on destroy. From
 * these marks the cloud discovers what a stack owns, so an apply removes what the spec no longer names, and
 * {@link #stacks()} lists the project's stacks. No long-lived
 * secret is kept: the application gets a password valid for an hour right before the VNet peering request, and loses
 * it as soon as the request has returned. Nothing is sent before the first plan. Every request to Aiven, Microsoft
 * Graph and ARM is sent once; the engine retries what they refuse for a while (throttling, server errors, a change of
 * this run not yet everywhere), reading before it sends a create again.
 */
public final class MstCloud extends AbstractCloud {
  private final MstContext mst;

  private MstCloud(MstContext mst, TimeSource time) {
    super(new MstProvider(mst), time);
    this.mst = mst;
  }

  /**
   * A builder; project and cloud are required.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The Aiven project.
   *
   * @return the Aiven project
   */
  public String project() {
    return mst.project();
  }

  /**
   * The Aiven cloud, such as {@code azure-westeurope}.
   *
   * @return the Aiven cloud, such as {@code azure-westeurope}
   */
  public String cloud() {
    return mst.cloud();
  }

  /** Releases what the mst side holds; the Azure side's cloud stays open. */
  @Override
  public void close() {
    mst.close();
  }

  /** Builds an {@link MstCloud}. */
  public static final class Builder {
    private static final Pattern PROJECT = Pattern.compile("[a-z][-a-z0-9]{0,62}");
    private static final Pattern CLOUD = Pattern.compile("[a-z]+(-[a-z0-9]+)+");

    private String project;
    private Secret token;
    private URI apiBase;
    private String cloud;
    private AzureCloud azure;
    private URI graphEndpoint;
    private String mstApplicationId;
    private ApplicationCredentials applicationCredentials = ApplicationCredentials.clientSecret();
    private TimeSource time = TimeSource.system();
    private WaitPolicy waitPolicy;

    private Builder() {}

    /**
     * The Aiven project that holds the VPC and services; required.
     *
     * @param project the Aiven project that holds the VPC and services
     * @return this builder
     */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /**
     * The Aiven API token; else {@code AIVEN_TOKEN}, else the {@code avn} credentials file.
     *
     * @param token the Aiven API token
     * @return this builder
     */
    public Builder token(Secret token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * The Aiven API base; else {@code AIVEN_WEB_URL} with {@code /v1}, else {@code https://api.aiven.io/v1}.
     *
     * @param apiBase the Aiven API base
     * @return this builder
     */
    public Builder apiBase(URI apiBase) {
      this.apiBase = Objects.requireNonNull(apiBase, "apiBase");
      return this;
    }

    /**
     * The Aiven cloud of the VPC and services, such as {@code azure-westeurope}; required.
     *
     * @param cloud the Aiven cloud of the VPC and services, such as {@code azure-westeurope}
     * @return this builder
     */
    public Builder cloud(String cloud) {
      this.cloud = Objects.requireNonNull(cloud, "cloud");
      return this;
    }

    /**
     * The Azure side of peerings: its credential signs in to Azure Resource Manager and Microsoft Graph, in its
     * subscription and tenant. Required when a stack has peerings. This cloud does not close it.
     *
     * @param azure the Azure side of peerings: its credential signs in to Azure Resource Manager and Microsoft Graph,
     *     in its subscription and tenant
     * @return this builder
     */
    public Builder azure(AzureCloud azure) {
      this.azure = Objects.requireNonNull(azure, "azure");
      return this;
    }

    /**
     * Another Microsoft Graph base than {@code https://graph.microsoft.com/v1.0}, such as a loopback fake.
     *
     * @param graphEndpoint another Microsoft Graph base than {@code https://graph.microsoft.com/v1.0}, such as a
     *     loopback fake
     * @return this builder
     */
    public Builder graphEndpoint(URI graphEndpoint) {
      this.graphEndpoint = Objects.requireNonNull(graphEndpoint, "graphEndpoint");
      return this;
    }

    /**
     * MST's Azure application id (a GUID), which MST does not publish: its support gives it. Required when a stack
     * has peerings.
     *
     * @param mstApplicationId MST's Azure application id (a GUID), which MST does not publish: its support gives it
     * @return this builder
     */
    public Builder mstApplicationId(String mstApplicationId) {
      this.mstApplicationId = Objects.requireNonNull(mstApplicationId, "mstApplicationId");
      return this;
    }

    /**
     * How to sign in as the peering's application; Azure Identity's client secret credential otherwise.
     *
     * @param applicationCredentials how to sign in as the peering's application
     * @return this builder
     */
    public Builder applicationCredentials(ApplicationCredentials applicationCredentials) {
      this.applicationCredentials = Objects.requireNonNull(applicationCredentials, "applicationCredentials");
      return this;
    }

    /**
     * The engine's clock, which times its waits and retries: real time otherwise. Give it the same
     * {@link TimeSource#virtual virtual clock} as the testkit's fakes and a run's waits cost no real time.
     *
     * @param time the engine's clock, which times its waits and retries: real time otherwise
     * @return this builder
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * One wait policy for every MST resource, instead of each type's own (services poll every 10 to 30 s for up to
     * an hour); the Azure resources follow the {@link AzureCloud}'s.
     *
     * @param waitPolicy one wait policy for every MST resource, instead of each type's own (services poll every 10 to
     *     30 s for up to an hour)
     * @return this builder
     */
    public Builder waitPolicy(WaitPolicy waitPolicy) {
      this.waitPolicy = Objects.requireNonNull(waitPolicy, "waitPolicy");
      return this;
    }

    /**
     * Checks every setting and makes the cloud; it sends nothing.
     *
     * @return the cloud
     * @throws InvalidSpecException naming each setting that is missing or malformed
     */
    public MstCloud build() {
      List<Violation> problems = new ArrayList<>();
      if (project == null) {
        problems.add(new Violation("project", "", "is required: the Aiven project"));
      } else if (!PROJECT.matcher(project).matches()) {
        problems.add(new Violation("project", project, "is not an Aiven project name: lowercase letters, digits "
            + "and '-', starting with a letter"));
      }
      if (cloud == null) {
        problems.add(new Violation("cloud", "", "is required: the Aiven cloud, such as azure-westeurope"));
      } else if (!CLOUD.matcher(cloud).matches()) {
        problems.add(new Violation("cloud", cloud, "is not an Aiven cloud name such as azure-westeurope"));
      }
      if (mstApplicationId != null && !AzureSession.isGuid(mstApplicationId)) {
        problems.add(new Violation("mstApplicationId", mstApplicationId, "is not an application id (a GUID)"));
      }
      if (apiBase != null && !Endpoints.safeForCredentials(apiBase)) {
        problems.add(new Violation("apiBase", apiBase.toString(), "is not an https URI (or http on loopback): the "
            + "token travels with every request"));
      }
      if (graphEndpoint != null && !Endpoints.safeForCredentials(graphEndpoint)) {
        problems.add(new Violation("graphEndpoint", graphEndpoint.toString(), "is not an https URI (or http on "
            + "loopback): tokens travel with every request"));
      }
      Secret resolved = null;
      try {
        resolved = AivenSettings.token(Optional.ofNullable(token), System.getenv(),
            Path.of(System.getProperty("user.home")));
      } catch (IllegalStateException e) {
        problems.add(new Violation("token", "", e.getMessage()));
      }
      if (!problems.isEmpty()) {
        throw new InvalidSpecException(problems);
      }
      URI base = AivenSettings.apiBase(Optional.ofNullable(apiBase), System.getenv());
      AivenClient aiven = AivenClient.create(base, resolved);
      return new MstCloud(new MstContext(project, cloud, aiven, azure == null ? null : AzureSession.of(azure),
          graphEndpoint, mstApplicationId == null ? null : mstApplicationId.toLowerCase(Locale.ROOT),
          applicationCredentials, waitPolicy), time);
    }
  }
}
