package dev.cloudpg.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.Secret;
import dev.cloudpg.Stack;
import dev.cloudpg.Violation;
import dev.cloudpg.azure.internal.AzureContext;
import dev.cloudpg.azure.internal.AzureContexts;
import dev.cloudpg.azure.internal.AzureErrors;
import dev.cloudpg.azure.internal.AzureProvider;
import dev.cloudpg.azure.internal.AzureRules;
import dev.cloudpg.azure.internal.Guids;
import dev.cloudpg.spi.AbstractCloud;
import dev.cloudpg.spi.Endpoints;
import dev.cloudpg.spi.TimeSource;
import dev.cloudpg.spi.WaitPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * cloudpg on Azure: a {@link dev.cloudpg.Network} becomes a VNet with an AKS node subnet; a
 * {@link dev.cloudpg.PostgresCluster} the whole platform for highly available PostgreSQL on AKS with CloudNativePG
 * (managed identity, zone-redundant backup storage and its role, Managed Grafana with managed Prometheus and Container
 * Insights, the AKS cluster with its {@code postgres} node pool, a public IP, the operator) and the CNPG cluster
 * itself; a {@link dev.cloudpg.Peering} to {@link dev.cloudpg.PeerNetwork#azureVnet} a VNet peering.
 *
 * <pre>{@code
 * try (AzureCloud cloud = AzureCloud.builder().subscription("…").region("westus3").build()) {
 *   StackOutputs out = cloud.apply(stack, ProvisioningListener.console());
 *   out.database("pg").writerEndpoint();        // pg-rw.cnpg-database.svc.cluster.local
 *   Secret kubeconfig = cloud.kubeconfig(stack, "pg");
 * }
 * }</pre>
 *
 * <p>Every resource lives in the stack's resource group ({@code rg-<stack>} unless told otherwise) and carries the
 * tags {@code cloudpg:stack} and {@code cloudpg:key}. Requests go through the Azure SDK's pipeline on the JDK HTTP
 * client; nothing is sent before the first plan. Every request is sent once, by the SDK and the Kubernetes client
 * alike: cloudpg's engine is the one that retries, throttling and 5xx answers a bounded number of times, and, during
 * an apply, a 403 {@code AuthorizationFailed} or 400 {@code PrincipalNotFound} until a role or principal this run made
 * has propagated (15 minutes at most), and AKS's 409 while another operation runs on a cluster (30 minutes at most).
 * While planning such a refusal fails at once: nothing has just changed, so it is a permission error.
 */
public final class AzureCloud extends AbstractCloud {
  /** The Resource Manager scope a sign-in check asks a token for. */
  private static final String ARM_SCOPE = "https://management.azure.com/.default";

  static {
    AzureContexts.register(cloud -> cloud.azure);
  }

  private final AzureContext azure;

  private AzureCloud(AzureContext azure, TimeSource time) {
    super(new AzureProvider(azure), time);
    this.azure = azure;
  }

  /** {@return a builder; subscription and region are required} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the subscription the cloud works in} */
  public String subscription() {
    return azure.subscription();
  }

  /** {@return the region resources are made in, such as {@code westus3}} */
  public String region() {
    return azure.region();
  }

  /**
   * The resource group of a stack.
   *
   * @param stack the stack
   * @return the group's name: {@code rg-<stack>}, or the existing group the builder named
   */
  public String resourceGroup(Stack stack) {
    return azure.resourceGroup(stack.name());
  }

  /**
   * The user kubeconfig of a database's AKS cluster, as {@code az aks get-credentials} fetches it.
   *
   * @param stack the stack
   * @param database the database's name in the stack
   * @return the kubeconfig, a secret
   * @throws dev.cloudpg.ProviderException when the cluster does not exist or Azure refuses
   */
  public Secret kubeconfig(Stack stack, String database) {
    PostgresCluster db = stack.database(database);
    try {
      return Secret.of(azure.kubeconfig(stack, db));
    } catch (RuntimeException e) {
      throw AzureErrors.translate(e);
    }
  }

  /**
   * Asks the cloud's credential for a Resource Manager token, so that a missing or expired sign-in is reported in
   * seconds, before anything is planned, rather than after the first reads.
   *
   * @throws dev.cloudpg.ProviderException when the credential has no token to give, naming the credential sources
   *     tried and how to sign in ({@code az login}, or the {@code AZURE_*} variables of a service principal)
   */
  public void checkSignIn() {
    try {
      azure.credential().getTokenSync(new TokenRequestContext().addScopes(ARM_SCOPE));
    } catch (RuntimeException e) {
      throw AzureErrors.translate(e);
    }
  }

  /** Closes the Kubernetes clients. */
  @Override
  public void close() {
    azure.close();
  }

  /** Builds an {@link AzureCloud}; subscription and region are required. */
  public static final class Builder {
    private String subscription;
    private String tenant;
    private String region;
    private TokenCredential credential;
    private final Map<String, TokenCredential> auxiliary = new LinkedHashMap<>();
    private HttpClient httpClient;
    private URI endpoint;
    private TimeSource time = TimeSource.system();
    private WaitPolicy waitPolicy;
    private String resourceGroup;
    private boolean existingResourceGroup;

    private Builder() {}

    /**
     * The subscription id; the {@code AZURE_SUBSCRIPTION_ID} environment variable otherwise.
     *
     * @param subscription a subscription id (a GUID)
     * @return this builder
     */
    public Builder subscription(String subscription) {
      this.subscription = Objects.requireNonNull(subscription, "subscription");
      return this;
    }

    /**
     * The tenant id; the {@code AZURE_TENANT_ID} environment variable, else the credential's own tenant.
     *
     * @param tenant a tenant id (a GUID)
     * @return this builder
     */
    public Builder tenant(String tenant) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    /**
     * The region, such as {@code westus3}.
     *
     * @param region an Azure region name
     * @return this builder
     */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /**
     * The credential; {@code DefaultAzureCredential} (environment, workload identity, managed identity, CLI) otherwise.
     *
     * @param credential the credential
     * @return this builder
     */
    public Builder credential(TokenCredential credential) {
      this.credential = Objects.requireNonNull(credential, "credential");
      return this;
    }

    /**
     * A credential in another tenant, sent along when peering with a VNet of that tenant.
     *
     * @param otherTenant the other tenant id (a GUID)
     * @param credential the credential
     * @return this builder
     */
    public Builder auxiliaryCredential(String otherTenant, TokenCredential credential) {
      this.auxiliary.put(Objects.requireNonNull(otherTenant, "otherTenant"),
          Objects.requireNonNull(credential, "credential"));
      return this;
    }

    /**
     * The HTTP client of the SDK pipeline; the JDK's otherwise.
     *
     * @param httpClient the client
     * @return this builder
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Sends every Azure Resource Manager request to this base URI instead of {@code https://management.azure.com}: a
     * loopback fake such as the testkit's {@code FakeArm}. Authentication still runs as for Azure.
     *
     * @param endpoint the resource manager endpoint to send requests to
     * @return this builder
     */
    public Builder endpointOverride(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * The clock of waits and retries; real time otherwise. In tests, a {@link TimeSource#virtual virtual clock} shared
     * with the testkit's {@code FakeArm} and {@code FakeKubernetes} runs an apply in the CPU time it needs, with the
     * fakes' simulated durations exact.
     *
     * @param time the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * One wait policy for every resource, instead of each type's own (AKS polls every 10 to 30 s for an hour).
     *
     * @param waitPolicy the policy
     * @return this builder
     */
    public Builder waitPolicy(WaitPolicy waitPolicy) {
      this.waitPolicy = Objects.requireNonNull(waitPolicy, "waitPolicy");
      return this;
    }

    /**
     * The resource group of the stack, created and deleted with it; {@code rg-<stack>} otherwise. Since it is tagged as
     * one stack's, a cloud with a fixed group serves one stack; for several, use {@link #existingResourceGroup}.
     *
     * @param name a resource group name
     * @return this builder
     */
    public Builder resourceGroup(String name) {
      this.resourceGroup = Objects.requireNonNull(name, "name");
      this.existingResourceGroup = false;
      return this;
    }

    /**
     * An existing resource group to put every stack in; cloudpg neither creates nor deletes it.
     *
     * @param name a resource group name
     * @return this builder
     */
    public Builder existingResourceGroup(String name) {
      this.resourceGroup = Objects.requireNonNull(name, "name");
      this.existingResourceGroup = true;
      return this;
    }

    /**
     * Builds the cloud; it makes no request until a plan.
     *
     * @return the cloud
     * @throws InvalidSpecException naming the setting when subscription or region is missing or malformed
     */
    public AzureCloud build() {
      String sub = subscription != null ? subscription : System.getenv("AZURE_SUBSCRIPTION_ID");
      String ten = tenant != null ? tenant : System.getenv("AZURE_TENANT_ID");
      List<Violation> problems = new ArrayList<>();
      if (sub == null) {
        problems.add(new Violation("subscription", "", "is required: call subscription(..) or set "
            + "AZURE_SUBSCRIPTION_ID"));
      } else if (!Guids.isGuid(sub)) {
        problems.add(new Violation("subscription", sub, "is not a subscription id (a GUID)"));
      }
      if (ten != null && !Guids.isGuid(ten)) {
        problems.add(new Violation("tenant", ten, "is not a tenant id (a GUID)"));
      }
      auxiliary.keySet().stream().filter(t -> !Guids.isGuid(t))
          .forEach(t -> problems.add(new Violation("auxiliaryCredential.tenant", t, "is not a tenant id (a GUID)")));
      if (region == null) {
        problems.add(new Violation("region", "", "is required, such as westus3"));
      } else if (!AzureRules.REGION.matcher(region).matches()) {
        problems.add(new Violation("region", region, "is not an Azure region name such as westus3"));
      }
      if (endpoint != null && !Endpoints.safeForCredentials(endpoint)) {
        problems.add(new Violation("endpointOverride", endpoint.toString(), "must be https, or http to this machine (a "
            + "loopback fake): bearer tokens travel with every request"));
      }
      if (!problems.isEmpty()) {
        throw new InvalidSpecException(problems);
      }
      HttpClient http = httpClient != null ? httpClient : new JdkHttpClientBuilder().build();
      TokenCredential creds = credential != null ? credential : new DefaultAzureCredentialBuilder().build();
      return new AzureCloud(new AzureContext(sub, ten, region, creds, auxiliary, http, endpoint, waitPolicy,
          resourceGroup, existingResourceGroup), time);
    }
  }
}
