package dev.cloudpg.azure.internal;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** GUIDs as Azure uses them: subscription, tenant and application ids, and the names of roles and assignments. */
public final class Guids {
  private Guids() {}

  /** Whether {@code s} is a GUID in its usual 8-4-4-4-12 form. */
  public static boolean isGuid(String s) {
    if (s == null) {
      return false;
    }
    try {
      return UUID.fromString(s).toString().equalsIgnoreCase(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A GUID derived from the parts, the same on every run: the name of a role assignment or definition. */
  public static String derived(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
