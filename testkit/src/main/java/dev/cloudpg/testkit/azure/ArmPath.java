package dev.cloudpg.testkit.azure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A request path read the way Azure Resource Manager reads it. The last {@code /providers/{namespace}} segment decides:
 * an even number of segments after the namespace names a resource ({@code type/name[/subtype/subname...]}), an odd
 * number names a collection (GET) or an action (POST). Whatever precedes {@code /providers} is the scope, which can
 * itself be a resource id (extension resources such as role assignments).
 */
record ArmPath(Kind kind, String id, List<String> segments, String subscription, String resourceGroup, String type,
    String scope, int providersIndex) {

  enum Kind { RESOURCE_GROUPS, RESOURCE_GROUP, GROUP_RESOURCES, RESOURCE, COLLECTION, OPERATION, UNKNOWN }

  static ArmPath parse(String rawPath) {
    List<String> segments = new ArrayList<>(Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty()).toList());
    if (segments.size() < 2 || !is(segments, 0, "subscriptions")) {
      return unknown("/" + String.join("/", segments), segments);
    }
    // ARM spells these fixed segments one way in the ids it returns, whatever the request's case.
    segments.set(0, "subscriptions");
    if (segments.size() >= 3 && is(segments, 2, "resourceGroups")) {
      segments.set(2, "resourceGroups");
    }
    String id = "/" + String.join("/", segments);
    String subscription = segments.get(1);
    String group = segments.size() >= 4 && is(segments, 2, "resourceGroups") ? segments.get(3) : null;
    if (segments.size() == 3 && is(segments, 2, "resourceGroups")) {
      return new ArmPath(Kind.RESOURCE_GROUPS, id, segments, subscription, null, null, null, -1);
    }
    if (segments.size() == 4 && group != null) {
      return new ArmPath(Kind.RESOURCE_GROUP, id, segments, subscription, group, "Microsoft.Resources/resourceGroups",
          "/subscriptions/" + subscription, -1);
    }
    if (segments.size() == 5 && group != null && is(segments, 4, "resources")) {
      return new ArmPath(Kind.GROUP_RESOURCES, id, segments, subscription, group, null, null, -1);
    }
    int p = -1;
    for (int i = segments.size() - 2; i >= 2; i--) {
      if (is(segments, i, "providers")) {
        p = i;
        break;
      }
    }
    if (p < 0 || segments.size() - p - 2 < 1) {
      return unknown(id, segments);
    }
    List<String> rest = segments.subList(p + 2, segments.size());
    if (rest.size() == 4 && is(rest, 0, "locations") && (is(rest, 2, "operations") || is(rest, 2, "operationresults")
        || is(rest, 2, "asyncoperations"))) {
      return new ArmPath(Kind.OPERATION, id, segments, subscription, group, null, null, p);
    }
    StringBuilder type = new StringBuilder(segments.get(p + 1));
    for (int i = 0; i < rest.size(); i += 2) {
      type.append('/').append(rest.get(i));
    }
    String scope = "/" + String.join("/", segments.subList(0, p));
    Kind kind = rest.size() % 2 == 0 ? Kind.RESOURCE : Kind.COLLECTION;
    return new ArmPath(kind, id, segments, subscription, group, type.toString(), scope, p);
  }

  private static ArmPath unknown(String id, List<String> segments) {
    return new ArmPath(Kind.UNKNOWN, id, segments, null, null, null, null, -1);
  }

  private static boolean is(List<String> segments, int index, String expected) {
    return segments.get(index).equalsIgnoreCase(expected);
  }

  /** ARM compares ids ignoring case; this is the key the fake stores them under. */
  static String key(String id) {
    return ("/" + String.join("/", Arrays.stream(id.split("/")).filter(s -> !s.isEmpty()).toList()))
        .toLowerCase(Locale.ROOT);
  }

  String key() {
    return id.toLowerCase(Locale.ROOT);
  }

  /** The last segment: a resource's name, or a collection's or action's name. */
  String last() {
    return segments.get(segments.size() - 1);
  }

  /** The path without its last segment: a collection's owner, or the resource an action is on. */
  String withoutLast() {
    return "/" + String.join("/", segments.subList(0, segments.size() - 1));
  }

  /** The resource directly after {@code /providers/{namespace}}, which a nested resource lives under. */
  String topLevelId() {
    return "/" + String.join("/", segments.subList(0, providersIndex + 4));
  }

  boolean nested() {
    return kind == Kind.RESOURCE && segments.size() - providersIndex > 4;
  }

  /** Where a resource group path names one: the group's id; otherwise null. */
  String resourceGroupId() {
    return resourceGroup == null ? null : "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup;
  }

  /** The lower-case type, for comparisons. */
  String typeKey() {
    return type == null ? "" : type.toLowerCase(Locale.ROOT);
  }

  /** For an operation path: {@code operations}, {@code operationresults} or {@code asyncoperations}. */
  String operationKind() {
    return segments.get(segments.size() - 2).toLowerCase(Locale.ROOT);
  }
}
