package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.authorization.fluent.RoleAssignmentsClient;
import com.azure.resourcemanager.authorization.fluent.models.RoleAssignmentInner;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.authorization.models.RoleAssignmentCreateParameters;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Ownership;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A role assignment: a role for a principal on a scope, made by one synchronous PUT. Its name is a GUID derived from
 * the stack and the key, so every run finds it; its description says which stack made it, since role assignments
 * carry no tags. The principal type is always sent: without it ARM looks the principal up in Entra ID, which fails
 * for a principal made seconds ago ({@code PrincipalNotFound}); the remaining replication delay is a refusal the
 * provider classifies as propagation, which the engine retries during an apply. Immutable and thread-safe.
 */
public final class RoleAssignmentResource extends AzureResource {
  /** Built-in role definition ids, the same in every tenant. */
  public static final String STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
  public static final String NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7";
  public static final String MONITORING_DATA_READER = "b0d8363b-8ddd-447d-831f-62ca05bff136";

  /** The assignment's full id. */
  public static final Output<String> ID = Output.string("id");
  public static final Output<String> SCOPE = Output.string("scope");
  public static final Output<String> ROLE_DEFINITION_ID = Output.string("roleDefinitionId");
  public static final Output<String> PRINCIPAL_ID = Output.string("principalId");

  private final String owner;
  private final String role;
  private final String roleName;
  private final PrincipalType principalType;
  private final Function<StepContext, String> scope;
  private final Function<StepContext, String> principal;

  /**
   * @param name what the assignment is for, the name of its key: {@code pg-blob-data}
   * @param role a built-in role's GUID, or a role definition's full id
   * @param scope the scope's resource id, from the dependencies' outputs
   * @param principal the principal's object id, from the dependencies' outputs
   */
  public RoleAssignmentResource(AzureContext azure, Stack stack, String name, List<ResourceKey> dependencies,
      String role, String roleName, PrincipalType principalType, Function<StepContext, String> scope,
      Function<StepContext, String> principal) {
    this(azure, stack, stack.name(), name, dependencies, role, roleName, principalType, scope, principal);
  }

  /**
   * @param owner who the assignment belongs to, in its name and description: the stack's name, qualified where
   *     stacks of one name can meet on one scope (MST projects peering with the same VNet)
   */
  public RoleAssignmentResource(AzureContext azure, Stack stack, String owner, String name,
      List<ResourceKey> dependencies, String role, String roleName, PrincipalType principalType,
      Function<StepContext, String> scope, Function<StepContext, String> principal) {
    super(azure, stack, Keys.roleAssignment(name), dependencies);
    this.owner = owner;
    this.role = role;
    this.roleName = roleName;
    this.principalType = principalType;
    this.scope = scope;
    this.principal = principal;
  }

  private RoleAssignmentsClient client() {
    return azure.managers().authorization().roleServiceClient().getRoleAssignments();
  }

  private String assignmentName() {
    return Guids.derived(azure.subscription(), owner, key().toString());
  }

  /** A built-in role's id under the scope's subscription, which is what ARM stores and answers. */
  private String roleDefinitionId(String scope) {
    String[] parts = scope.split("/");
    String subscription = parts.length > 2 && parts[1].equalsIgnoreCase("subscriptions") ? parts[2]
        : azure.subscription();
    return role.startsWith("/") ? role
        : "/subscriptions/" + subscription + "/providers/Microsoft.Authorization/roleDefinitions/" + role;
  }

  @Override
  public Map<String, String> desired() {
    return Map.of("role", roleName, "principalType", principalType.toString());
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    String at = scope.apply(ctx);
    return ifFound(() -> client().get(at, assignmentName())).map(a -> {
      if (!description().equals(a.description())) {
        return Observed.foreign("role assignment " + Text.quote(a.name()) + " on " + Text.quote(a.scope())
            + ", not made by this stack");
      }
      boolean sameRole = a.roleDefinitionId() != null && a.roleDefinitionId().equalsIgnoreCase(roleDefinitionId(at));
      return Observed.owned(Map.of("role", sameRole ? roleName : String.valueOf(a.roleDefinitionId()),
          "principalType", String.valueOf(a.principalType())), outputs(a));
    });
  }

  private String description() {
    return Ownership.STACK + "=" + owner;
  }

  private static Outputs outputs(RoleAssignmentInner a) {
    return Outputs.builder().put(ID, a.id()).put(SCOPE, a.scope()).put(ROLE_DEFINITION_ID, a.roleDefinitionId())
        .put(PRINCIPAL_ID, a.principalId()).build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    String at = scope.apply(ctx);
    return outputs(client().create(at, assignmentName(), new RoleAssignmentCreateParameters()
        .withRoleDefinitionId(roleDefinitionId(at)).withPrincipalId(principal.apply(ctx))
        .withPrincipalType(principalType).withDescription(description())));
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().delete(scope.apply(ctx), assignmentName());
  }
}
