package dev.cloudpg.azure.internal;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.policy.AddDatePolicy;
import com.azure.core.http.policy.AddHeadersFromContextPolicy;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.HttpPolicyProviders;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.Configuration;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.containerservice.ContainerServiceManager;
import com.azure.resourcemanager.msi.MsiManager;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.fluentcore.policy.AuthenticationPolicy;
import com.azure.resourcemanager.resources.fluentcore.policy.AuxiliaryAuthenticationPolicy;
import com.azure.resourcemanager.resources.fluentcore.policy.ReturnRequestIdHeaderPolicy;
import com.azure.resourcemanager.resources.fluentcore.policy.UserAgentPolicy;
import com.azure.resourcemanager.storage.StorageManager;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.WaitPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the Azure resources share: the subscription and region, one HTTP pipeline for every resource manager,
 * the credentials of other tenants, the Kubernetes clients of the stack's clusters, and the wait policy override.
 *
 * <p>The pipelines make each request once: they have no retry policy, and no provider registration policy that
 * registers a resource provider and waits for it, so the engine is the one retry layer and nothing sleeps inside the
 * SDK. A subscription that has not registered a provider gets ARM's {@code MissingSubscriptionRegistration}, naming
 * it. Thread-safe.
 */
public final class AzureContext implements AutoCloseable {
  private final String subscription;
  private final String tenant;
  private final String region;
  private final TokenCredential credential;
  private final Map<String, TokenCredential> auxiliary;
  private final HttpClient http;
  private final AzureProfile profile;
  private final HttpPipeline pipeline;
  private final WaitPolicy waitPolicy;
  private final String resourceGroup;
  private final boolean existingResourceGroup;
  private final Kubernetes kubernetes;
  private volatile Managers managers;

  /**
   * @param endpointOverride where ARM requests go instead of the public endpoint; null for Azure itself
   * @param resourceGroup the group of every stack, or null for {@code rg-<stack>}
   */
  public AzureContext(String subscription, String tenant, String region, TokenCredential credential,
      Map<String, TokenCredential> auxiliary, HttpClient http, URI endpointOverride, WaitPolicy waitPolicy,
      String resourceGroup, boolean existingResourceGroup) {
    this.subscription = subscription;
    this.tenant = tenant;
    this.region = region;
    this.credential = credential;
    this.auxiliary = Map.copyOf(auxiliary);
    this.http = endpointOverride == null ? http : new EndpointOverrideHttpClient(http,
        AzureEnvironment.AZURE.getResourceManagerEndpoint(), endpointOverride);
    this.profile = new AzureProfile(tenant, subscription, AzureEnvironment.AZURE);
    this.pipeline = pipeline(List.of());
    this.waitPolicy = waitPolicy;
    this.resourceGroup = resourceGroup;
    this.existingResourceGroup = existingResourceGroup;
    this.kubernetes = new Kubernetes(this);
  }

  private HttpPipeline pipeline(List<HttpPipelinePolicy> extra) {
    return pipeline(credential, extra);
  }

  /**
   * The policies of the resource managers' own pipeline ({@code HttpPipelineProvider}) but its
   * {@code RetryPolicy} and {@code ProviderRegistrationPolicy}. No retry policy at all rather than one with zero
   * retries: that one logs "Retry attempts have been exhausted" at INFO for every response.
   */
  private HttpPipeline pipeline(TokenCredential as, List<HttpPipelinePolicy> extra) {
    HttpLogOptions logs = new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE);
    List<HttpPipelinePolicy> policies = new ArrayList<>();
    policies.add(new UserAgentPolicy(logs, Configuration.getGlobalConfiguration()));
    policies.add(new AddHeadersFromContextPolicy());
    policies.add(new RequestIdPolicy());
    policies.add(new ReturnRequestIdHeaderPolicy(ReturnRequestIdHeaderPolicy.Option.COPY_CLIENT_REQUEST_ID));
    extra.stream().filter(p -> p.getPipelinePosition() == HttpPipelinePosition.PER_CALL).forEach(policies::add);
    HttpPolicyProviders.addBeforeRetryPolicies(policies);
    policies.add(new AddDatePolicy());
    policies.add(new AuthenticationPolicy(as, profile.getEnvironment(), (String[]) null));
    extra.stream().filter(p -> p.getPipelinePosition() == HttpPipelinePosition.PER_RETRY).forEach(policies::add);
    HttpPolicyProviders.addAfterRetryPolicies(policies);
    policies.add(new HttpLoggingPolicy(logs));
    return new HttpPipelineBuilder().policies(policies.toArray(HttpPipelinePolicy[]::new)).httpClient(http).build();
  }

  public String subscription() {
    return subscription;
  }

  /** The tenant given to the builder; empty when the credential's own tenant is meant. */
  public Optional<String> tenant() {
    return Optional.ofNullable(tenant);
  }

  public String region() {
    return region;
  }

  /** The resource group of a stack. */
  public String resourceGroup(String stack) {
    return resourceGroup != null ? resourceGroup : "rg-" + stack;
  }

  /** Whether the resource group exists already and belongs to someone else: cloudpg neither creates nor deletes it. */
  public boolean existingResourceGroup() {
    return existingResourceGroup;
  }

  /** The wait policy of a resource type, or the override given to the builder. */
  WaitPolicy waitPolicy(WaitPolicy own) {
    return waitPolicy != null ? waitPolicy : own;
  }

  public TokenCredential credential() {
    return credential;
  }

  /** The pipeline every manager uses, for the requests no manager offers (conditional writes). */
  HttpPipeline pipeline() {
    return pipeline;
  }

  public Managers managers() {
    Managers m = managers;
    if (m == null) {
      synchronized (this) {
        if (managers == null) {
          managers = new Managers(pipeline, profile);
        }
        m = managers;
      }
    }
    return m;
  }

  /**
   * A network manager for a subscription whose requests also carry this cloud's tokens for the given other tenants
   * (the {@code x-ms-authorization-auxiliary} header), as a VNet peering with a VNet of another tenant needs.
   */
  public NetworkManager network(String inSubscription, List<String> otherTenants) {
    List<TokenCredential> others = new ArrayList<>();
    for (String t : otherTenants) {
      TokenCredential c = auxiliary.get(t);
      if (c == null) {
        throw new IllegalStateException("no credential for tenant " + Text.quote(t)
            + ": give one with auxiliaryCredential(..)");
      }
      others.add(c);
    }
    if (others.isEmpty() && inSubscription.equalsIgnoreCase(subscription)) {
      return managers().network();
    }
    return networkAs(credential, others, inSubscription);
  }

  /**
   * A network manager for a subscription acting as {@code principal}, whose requests also carry tokens of the same
   * principal in other tenants: how a multi-tenant application peers VNets across tenants.
   */
  public NetworkManager networkAs(TokenCredential principal, List<TokenCredential> otherTenants,
      String inSubscription) {
    List<HttpPipelinePolicy> extra = otherTenants.isEmpty() ? List.of()
        : List.of(new AuxiliaryAuthenticationPolicy(AzureEnvironment.AZURE,
            otherTenants.toArray(TokenCredential[]::new)));
    return NetworkManager.authenticate(pipeline(principal, extra),
        new AzureProfile(tenant, inSubscription, AzureEnvironment.AZURE));
  }

  /** Whether a credential for this other tenant was given. */
  public boolean hasTenant(String otherTenant) {
    return auxiliary.containsKey(otherTenant);
  }

  /** The user kubeconfig of a database's AKS cluster. */
  public String kubeconfig(dev.cloudpg.Stack stack, dev.cloudpg.PostgresCluster db) {
    return kubernetes.kubeconfig(resourceGroup(stack.name()), Names.aks(db));
  }

  Kubernetes kubernetes() {
    return kubernetes;
  }

  @Override
  public void close() {
    kubernetes.close();
  }

  /** The per-service resource managers, all on one pipeline. */
  public static final class Managers {
    private final ResourceManager resources;
    private final MsiManager msi;
    private final StorageManager storage;
    private final AuthorizationManager authorization;
    private final ContainerServiceManager containers;
    private final NetworkManager network;

    Managers(HttpPipeline pipeline, AzureProfile profile) {
      this.resources = ResourceManager.authenticate(pipeline, profile).withSubscription(profile.getSubscriptionId());
      this.msi = MsiManager.authenticate(pipeline, profile);
      this.storage = StorageManager.authenticate(pipeline, profile);
      this.authorization = AuthorizationManager.authenticate(pipeline, profile);
      this.containers = ContainerServiceManager.authenticate(pipeline, profile);
      this.network = NetworkManager.authenticate(pipeline, profile);
    }

    public ResourceManager resources() {
      return resources;
    }

    public MsiManager msi() {
      return msi;
    }

    public StorageManager storage() {
      return storage;
    }

    public AuthorizationManager authorization() {
      return authorization;
    }

    public ContainerServiceManager containers() {
      return containers;
    }

    public NetworkManager network() {
      return network;
    }
  }
}
