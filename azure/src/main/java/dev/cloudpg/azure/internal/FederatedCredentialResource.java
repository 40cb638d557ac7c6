package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.msi.fluent.FederatedIdentityCredentialsClient;
import com.azure.resourcemanager.msi.fluent.models.FederatedIdentityCredentialInner;
import dev.cloudpg.PostgresCluster;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The federated identity credential that lets the CNPG cluster's service account (CloudNativePG names it after the
 * cluster) act as the database's managed identity: issuer from the AKS cluster, audience {@code
 * api://AzureADTokenExchange}. ARM makes it synchronously.
 */
final class FederatedCredentialResource extends AzureResource {
  static final String AUDIENCE = "api://AzureADTokenExchange";

  static final Output<String> ID = Output.string("id");
  static final Output<String> ISSUER = Output.string("issuer");
  static final Output<String> SUBJECT = Output.string("subject");

  private final String name;
  private final String identityName;
  private final String subject;
  private final ResourceKey cluster;

  FederatedCredentialResource(AzureContext azure, Stack stack, PostgresCluster db, ResourceKey identity,
      ResourceKey cluster) {
    super(azure, stack, Keys.federatedCredential(db), List.of(identity, cluster));
    this.name = Names.federatedCredential(db);
    this.identityName = Names.identity(db);
    this.subject = "system:serviceaccount:" + Names.DATABASE_NAMESPACE + ":" + db.name();
    this.cluster = cluster;
  }

  private FederatedIdentityCredentialsClient client() {
    return azure.managers().msi().serviceClient().getFederatedIdentityCredentials();
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("subject", subject, "audience", AUDIENCE);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return ifFound(() -> client().get(resourceGroup(), identityName, name)).map(f -> Observed.owned(
        Map.of("subject", String.valueOf(f.subject()), "audience", String.join(",", f.audiences())), outputs(f)));
  }

  private static Outputs outputs(FederatedIdentityCredentialInner f) {
    return Outputs.builder().put(ID, f.id()).put(ISSUER, f.issuer()).put(SUBJECT, f.subject()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String issuer = ctx.outputsOf(cluster).find(AksClusterResource.OIDC_ISSUER)
        .orElseThrow(() -> new IllegalStateException("AKS cluster has no OIDC issuer URL"));
    return outputs(client().createOrUpdate(resourceGroup(), identityName, name,
        new FederatedIdentityCredentialInner().withIssuer(issuer).withSubject(subject)
            .withAudiences(List.of(AUDIENCE))));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().delete(resourceGroup(), identityName, name);
  }
}
