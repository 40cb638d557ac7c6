package dev.cloudpg.mst.internal;

import java.util.List;

/**
 * A service principal: an application's identity in this tenant, the principal that roles are assigned to. Its
 * {@code tags} tell a principal cloudpg made from one that was there before.
 */
public record EntraServicePrincipal(String objectId, String appId, List<String> tags) {
  public EntraServicePrincipal {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public EntraServicePrincipal(String objectId, String appId) {
    this(objectId, appId, List.of());
  }

  /** Whether the principal carries this tag. */
  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }
}
