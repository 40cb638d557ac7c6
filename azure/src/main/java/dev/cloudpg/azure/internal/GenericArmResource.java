package dev.cloudpg.azure.internal;

import static dev.cloudpg.azure.internal.AzureErrors.ifFound;

import com.azure.resourcemanager.resources.fluent.ResourcesClient;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceInner;
import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Output;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Probe;
import dev.cloudpg.spi.StepContext;
import dev.cloudpg.spi.Text;
import dev.cloudpg.spi.WaitPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A resource type without a typed library here (Managed Grafana, Azure Monitor workspaces, Log Analytics workspaces,
 * data collection endpoints, rules and associations), reached through ARM's generic resource API with an explicit
 * api-version, so that no request asks ARM for the provider's versions first. Drift is read from ARM: every value the
 * body sets (its SKU, kind, identity type and each leaf of its properties) is compared with what a GET returns, so a
 * change made out of band is planned as an update, which sends the body again. What ARM adds on its own (states,
 * defaults, ids) is not compared. Immutable and thread-safe.
 */
final class GenericArmResource extends AzureResource {
  static final Output<String> ID = Output.string("id");
  static final Output<String> NAME = Output.string("name");
  /** The principal of its system-assigned identity, for those that have one (Grafana). */
  static final Output<String> PRINCIPAL_ID = Output.string("principalId");
  /** The property that stands for the body's managed values: {@link #AS_DECLARED}, or where ARM's differ. */
  static final String BODY = "managedProperties";
  static final String AS_DECLARED = "as declared";

  private final String type;
  private final String apiVersion;
  private final Function<StepContext, String> id;
  private final BiFunction<StepContext, GenericResourceInner, GenericResourceInner> body;
  private final boolean taggable;

  /**
   * @param type the ARM type, for plans: {@code Microsoft.Dashboard/grafana}
   * @param id the resource's id, from the context (an extension resource's id depends on its parent's)
   * @param body fills the request body, already holding location and ownership tags when {@code taggable}
   */
  GenericArmResource(AzureContext azure, Stack stack, ResourceKey key, List<ResourceKey> dependencies, String type,
      String apiVersion, boolean taggable, Function<StepContext, String> id,
      BiFunction<StepContext, GenericResourceInner, GenericResourceInner> body) {
    this(azure, stack, key, dependencies, Map.of(), type, apiVersion, taggable, id, body);
  }

  /** @param specTags the spec's tags for what it is made for (a database's), beside the ownership tags */
  GenericArmResource(AzureContext azure, Stack stack, ResourceKey key, List<ResourceKey> dependencies,
      Map<String, String> specTags, String type, String apiVersion, boolean taggable, Function<StepContext, String> id,
      BiFunction<StepContext, GenericResourceInner, GenericResourceInner> body) {
    super(azure, stack, key, dependencies, specTags);
    this.type = type;
    this.apiVersion = apiVersion;
    this.id = id;
    this.body = body;
    this.taggable = taggable;
  }

  private ResourcesClient client() {
    return azure.managers().resources().serviceClient().getResources();
  }

  private Optional<GenericResourceInner> get(String resourceId) {
    return ifFound(() -> client().getById(resourceId, apiVersion));
  }

  /** Ready in seconds (workspaces, data collection rules) to a few minutes (Grafana). */
  @Override
  WaitPolicy ownWaitPolicy() {
    return WaitPolicy.DEFAULT;
  }

  @Override
  public Map<String, String> desired() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("type", type);
    d.put("apiVersion", apiVersion);
    d.put(BODY, AS_DECLARED);
    return d;
  }

  @Override
  public Set<String> updatable() {
    return Set.of(BODY);
  }

  @Override
  public Optional<Observed> read(StepContext ctx) {
    return get(id.apply(ctx)).map(r -> {
      if (taggable && !ownedTags(r.tags())) {
        return Observed.foreign(foreign(type, r.name(), r.tags()));
      }
      Map<String, String> o = new LinkedHashMap<>();
      o.put("type", type);
      o.put("apiVersion", apiVersion);
      List<String> drift = new ArrayList<>();
      compare("", managed(body.apply(ctx, new GenericResourceInner())), managed(r), drift);
      o.put(BODY, drift.isEmpty() ? AS_DECLARED : String.join(", ", drift));
      return Observed.owned(o, outputs(r));
    });
  }

  /** What the body sets and cloudpg manages, as a tree of maps, lists and leaves. */
  private static Map<String, Object> managed(GenericResourceInner r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (r.sku() != null) {
      m.put("sku", r.sku().name());
    }
    if (r.kind() != null) {
      m.put("kind", r.kind());
    }
    if (r.identity() != null) {
      m.put("identity", String.valueOf(r.identity().type()));
    }
    if (r.properties() != null) {
      m.put("properties", r.properties());
    }
    return m;
  }

  /**
   * Adds to {@code drift} each leaf of {@code declared} that {@code actual} does not hold, by its path. Strings
   * compare ignoring case, as ARM treats ids and enumerations; lists compare element by element, and must have the
   * declared length.
   */
  private static void compare(String path, Object declared, Object actual, List<String> drift) {
    if (declared instanceof Map<?, ?> d) {
      Map<?, ?> a = actual instanceof Map<?, ?> m ? m : Map.of();
      d.forEach((k, v) -> compare(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, a.get(k), drift));
    } else if (declared instanceof List<?> d) {
      List<?> a = actual instanceof List<?> l ? l : List.of();
      if (a.size() != d.size()) {
        drift.add(path + " has " + a.size() + " entries, declared " + d.size());
        return;
      }
      for (int i = 0; i < d.size(); i++) {
        compare(path + "[" + i + "]", d.get(i), a.get(i), drift);
      }
    } else if (!String.valueOf(declared).equalsIgnoreCase(String.valueOf(actual))) {
      drift.add(path + " is " + (actual == null ? "unset" : Text.quote(String.valueOf(actual))) + ", declared "
          + Text.quote(String.valueOf(declared)));
    }
  }

  private static Outputs outputs(GenericResourceInner r) {
    Outputs.Builder out = Outputs.builder().put(ID, r.id()).put(NAME, r.name());
    if (r.identity() != null) {
      out.put(PRINCIPAL_ID, r.identity().principalId());
    }
    return out.build();
  }

  @Override
  public Outputs create(StepContext ctx) {
    GenericResourceInner request = new GenericResourceInner();
    if (taggable) {
      request.withLocation(azure.region()).withTags(tags(ctx));
    }
    String resourceId = id.apply(ctx);
    client().beginCreateOrUpdateById(resourceId, apiVersion, body.apply(ctx, request));
    return Outputs.builder().put(ID, resourceId).build();
  }

  @Override
  public Probe<Outputs> checkReady(StepContext ctx, Outputs started) {
    String resourceId = id.apply(ctx);
    return provisioned(get(resourceId), GenericArmResource::state, GenericArmResource::outputs, resourceId);
  }

  @SuppressWarnings("unchecked")
  private static String state(GenericResourceInner r) {
    Object properties = r.properties();
    return properties instanceof Map ? (String) ((Map<String, Object>) properties).get("provisioningState") : null;
  }

  @Override
  public void delete(StepContext ctx, Observed current) {
    client().beginDeleteById(id.apply(ctx), apiVersion);
  }

  @Override
  public Probe<Void> checkDeleted(StepContext ctx, Observed current) {
    return gone(get(id.apply(ctx)), GenericArmResource::state);
  }
}
