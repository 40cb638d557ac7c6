package dev.cloudpg.spi;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.Stack;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ownership marks every provider and fake puts on what a stack makes, defined once: the tag (or label, or
 * description) {@value #STACK} names the stack, {@value #KEY} the resource's key.
 */
public final class Ownership {
  /** The stack that owns a resource. */
  public static final String STACK = "cloudpg:stack";
  /** The key of the resource within its stack: {@code aws:subnet/db-a}. */
  public static final String KEY = "cloudpg:key";
  /** The prefix users' own tags may not use. */
  public static final String PREFIX = "cloudpg:";

  private Ownership() {}

  /**
   * The stack's own tags plus {@link #STACK} and {@link #KEY}, in that order.
   *
   * @param stack the stack that owns the resource
   * @param key the resource's key
   * @return the tags, in a new mutable map
   */
  public static Map<String, String> tags(Stack stack, ResourceKey key) {
    Map<String, String> tags = new LinkedHashMap<>(stack.tags());
    tags.put(STACK, stack.name());
    tags.put(KEY, key.toString());
    return tags;
  }

  /**
   * Whether these tags (null for none) mark a resource as the stack's.
   *
   * @param tags a resource's tags, or null
   * @param stack the stack's name
   * @return true if {@link #STACK} names the stack
   */
  public static boolean ownedBy(Map<String, String> tags, String stack) {
    return tags != null && stack.equals(tags.get(STACK));
  }

  /**
   * Who owns a resource with these tags, for messages.
   *
   * @param tags a resource's tags, or null
   * @return {@code owned by the stack "orders"} (the name quoted), or {@code not made by cloudpg}
   */
  public static String owner(Map<String, String> tags) {
    String owner = tags == null ? null : tags.get(STACK);
    return owner == null ? "not made by cloudpg" : "owned by the stack " + Text.quote(owner);
  }
}
