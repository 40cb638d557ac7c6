package dev.cloudpg.spi;

import dev.cloudpg.InvalidSpecException;
import dev.cloudpg.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects every problem of a spec so that they are reported together, each with its field path and value. Specs use
 * it when they are built; providers add their own rules in {@link Provider#validate}.
 */
public final class Violations {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  private final List<Violation> found = new ArrayList<>();

  /** Records that the value at {@code path} breaks a rule; {@code problem} says which, after the value. */
  public Violations add(String path, Object value, String problem) {
    found.add(new Violation(path, String.valueOf(value), problem));
    return this;
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public List<Violation> list() {
    return List.copyOf(found);
  }

  /** Throws an {@link InvalidSpecException} listing every violation, if there is any. */
  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new InvalidSpecException(found);
    }
  }

  /** A lowercase DNS label: letters, digits and hyphens, starting with a letter, at most {@code maxLength}. */
  public static void dnsLabel(Violations v, String path, String value, int maxLength) {
    if (value.isEmpty() || value.length() > maxLength) {
      v.add(path, value, "must hold 1 to " + maxLength + " characters");
    } else if (!DNS_LABEL.matcher(value).matches()) {
      v.add(path, value, "is not a lowercase DNS label (a-z, 0-9 and '-', starting with a letter)");
    }
  }

  /** An IPv4 CIDR block with its prefix length between the bounds and no host bits set. */
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

  /** A TCP port. */
  public static void port(Violations v, String path, int port) {
    if (port < 1 || port > 65535) {
      v.add(path, port, "is not a TCP port (1 to 65535)");
    }
  }

  /** Tags: keys 1 to 128 characters, values at most 256, no reserved {@code cloudpg:} prefix. */
  public static void tags(Violations v, String path, Map<String, String> tags) {
    tags.forEach((key, value) -> {
      if (key.isEmpty() || key.length() > 128) {
        v.add(path, key, "tag keys must hold 1 to 128 characters");
      } else if (key.startsWith(Ownership.PREFIX)) {
        v.add(path + "[" + Text.escape(key) + "]", key, "uses the prefix " + Ownership.PREFIX
            + ", which is reserved for ownership tags");
      }
      if (value.length() > 256) {
        v.add(path + "[" + Text.escape(key) + "]", value, "tag values must hold at most 256 characters");
      }
    });
  }
}
