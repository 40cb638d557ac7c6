package dev.cloudpg.spi;

import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects every problem of a spec so that they are reported together, each with its field path and value. Specs use
 * it when they are built; providers add their own rules in {@link Provider#validate}. Not thread-safe: one check fills
 * it.
 *
 * <p>The static methods check one common rule each and add a violation to the given collection when it is broken.
 */
public final class Violations {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  private final List<Violation> found = new ArrayList<>();

  /** An empty collection, to add violations to. */
  public Violations() {}

  /**
   * Records that the value at {@code path} breaks a rule; {@code problem} says which, after the value.
   *
   * @param path the field's path in the spec: {@code databases[keycloak].port}
   * @param value the offending value; written as {@link String#valueOf(Object)} gives it, so a
   *     {@link dev.cloudpg.Secret} shows as {@code ****}
   * @param problem what is wrong, worded to follow the value: {@code must be between 1 and 16}
   * @return this, to add more
   */
  public Violations add(String path, Object value, String problem) {
    found.add(new Violation(path, String.valueOf(value), problem));
    return this;
  }

  /**
   * Whether no problem was recorded.
   *
   * @return true if there is no violation
   */
  public boolean isEmpty() {
    return found.isEmpty();
  }

  /**
   * The problems recorded so far.
   *
   * @return a copy of the violations, in the order they were added
   */
  public List<Violation> list() {
    return List.copyOf(found);
  }

  /** Throws an {@link InvalidSpecException} listing every violation, if there is any. */
  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new InvalidSpecException(found);
    }
  }

  /**
   * A lowercase DNS label: letters, digits and hyphens, starting with a letter, at most {@code maxLength}.
   *
   * @param v where to add the violation
   * @param path the field's path in the spec
   * @param value the name to check; it must also not end with a hyphen
   * @param maxLength the most characters the name may hold
   */
  public static void dnsLabel(Violations v, String path, String value, int maxLength) {
    if (value.isEmpty() || value.length() > maxLength) {
      v.add(path, value, "must hold 1 to " + maxLength + " characters");
    } else if (!DNS_LABEL.matcher(value).matches()) {
      v.add(path, value, "is not a lowercase DNS label (a-z, 0-9 and '-', starting with a letter)");
    }
  }

  /**
   * An IPv4 CIDR block with its prefix length between the bounds and no host bits set.
   *
   * @param v where to add the violation
   * @param path the field's path in the spec
   * @param value the block to check, in CIDR notation
   * @param minPrefix the shortest prefix length allowed (the largest block)
   * @param maxPrefix the longest prefix length allowed (the smallest block)
   */
  public static void cidr(Violations v, String path, String value, int minPrefix, int maxPrefix) {
    Cidr cidr;
    try {
      cidr = Cidr.parse(value);
    } catch (IllegalArgumentException e) {
      v.add(path, value, "is not a CIDR block (" + e.getMessage() + ")");
      return;
    }
    if (cidr.prefix() < minPrefix || cidr.prefix() > maxPrefix) {
      v.add(path, value, "must have a prefix length between /" + minPrefix + " and /" + maxPrefix);
    } else if (!cidr.toString().equals(value)) {
      v.add(path, value, "has host bits set; the block is " + cidr);
    }
  }

  /**
   * A TCP port.
   *
   * @param v where to add the violation
   * @param path the field's path in the spec
   * @param port the port to check, 1 to 65535
   */
  public static void port(Violations v, String path, int port) {
    if (port < 1 || port > 65535) {
      v.add(path, port, "is not a TCP port (1 to 65535)");
    }
  }

  /**
   * Tags: keys 1 to 128 characters, values at most 256, no reserved {@code cloudpg:} prefix.
   *
   * @param v where to add a violation for each broken rule
   * @param path the tags' path in the spec: {@code networks[db].tags}
   * @param tags the tags to check
   */
  public static void tags(Violations v, String path, Map<String, String> tags) {
    tags.forEach((key, value) -> {
      if (key.isEmpty() || key.length() > 128) {
        v.add(path, key, "tag keys must hold 1 to 128 characters");
      } else if (key.startsWith(Ownership.PREFIX)) {
        v.add(path + "[" + key + "]", key, "uses the prefix " + Ownership.PREFIX
            + ", which is reserved for ownership tags");
      }
      if (value.length() > 256) {
        v.add(path + "[" + key + "]", value, "tag values must hold at most 256 characters");
      }
    });
  }
}
