package dev.cloudpg.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An IPv4 CIDR block: parsing, overlap, containment and splitting into subnets. Immutable and thread-safe;
 * {@code toString} writes {@code a.b.c.d/n}.
 */
public final class Cidr {
  private final long base;
  private final int prefix;

  private Cidr(long base, int prefix) {
    this.base = base;
    this.prefix = prefix;
  }

  /**
   * Parses {@code a.b.c.d/n}. Host bits are cleared: {@code parse("10.0.0.1/16")} is {@code 10.0.0.0/16}.
   *
   * @param text the block in CIDR notation
   * @return the block
   * @throws IllegalArgumentException saying what is wrong
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("no /prefix");
    }
    String[] octets = text.substring(0, slash).split("\\.", -1);
    if (octets.length != 4) {
      throw new IllegalArgumentException("an IPv4 address has 4 octets");
    }
    long address = 0;
    for (String octet : octets) {
      if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
        throw new IllegalArgumentException("octet '" + octet + "' is not between 0 and 255");
      }
      address = (address << 8) | Integer.parseInt(octet);
    }
    String prefixText = text.substring(slash + 1);
    if (!prefixText.matches("[0-9]{1,2}") || Integer.parseInt(prefixText) > 32) {
      throw new IllegalArgumentException("prefix '" + prefixText + "' is not between 0 and 32");
    }
    int prefix = Integer.parseInt(prefixText);
    return new Cidr(address & mask(prefix), prefix);
  }

  /**
   * Parses, or empty when the text is not a CIDR block.
   *
   * @param text the block in CIDR notation
   * @return the block, or empty when {@link #parse} would throw
   */
  public static Optional<Cidr> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  /**
   * The prefix length.
   *
   * @return 0 to 32
   */
  public int prefix() {
    return prefix;
  }

  /**
   * The number of addresses in the block.
   *
   * @return 2 to the power of (32 minus the prefix length)
   */
  public long size() {
    return 1L << (32 - prefix);
  }

  /**
   * Whether the two blocks share an address, which is when one contains the other.
   *
   * @param other another block
   * @return true if they overlap
   */
  public boolean overlaps(Cidr other) {
    int shorter = Math.min(prefix, other.prefix);
    return (base & mask(shorter)) == (other.base & mask(shorter));
  }

  /**
   * Whether every address of {@code other} is in this block.
   *
   * @param other another block
   * @return true if {@code other} is this block or one inside it
   */
  public boolean contains(Cidr other) {
    return other.prefix >= prefix && (other.base & mask(prefix)) == base;
  }

  /**
   * Splits the block into {@code count} equal subnets, each as large as possible, the first at the block's start.
   *
   * @param count the number of subnets, at least 1; the block is cut into the smallest power of two of equal parts that
   *     is at least {@code count}, and the first {@code count} are returned
   * @param maxPrefix the longest prefix length a subnet may have
   * @return the subnets, in address order
   * @throws IllegalArgumentException if the subnets would be smaller than {@code /maxPrefix}
   */
  public List<Cidr> split(int count, int maxPrefix) {
    int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, count - 1));
    int sub = prefix + (count == 1 ? 0 : bits);
    if (sub > maxPrefix) {
      throw new IllegalArgumentException(this + " is too small for " + count + " subnets of at least /" + maxPrefix);
    }
    List<Cidr> result = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      result.add(new Cidr(base + i * (1L << (32 - sub)), sub));
    }
    return result;
  }

  /**
   * The block of the same size right after this one, if it stays in IPv4.
   *
   * @return the next block, or empty at the end of the address space
   */
  public Optional<Cidr> next() {
    long nextBase = base + size();
    return nextBase > 0xFFFFFFFFL ? Optional.empty() : Optional.of(new Cidr(nextBase, prefix));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr && ((Cidr) o).base == base && ((Cidr) o).prefix == prefix;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(base) * 31 + prefix;
  }

  @Override
  public String toString() {
    return ((base >> 24) & 255) + "." + ((base >> 16) & 255) + "." + ((base >> 8) & 255) + "." + (base & 255) + "/"
        + prefix;
  }
}
