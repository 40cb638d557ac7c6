package dev.cloudpg.spi;

/**
 * A database engine version as specs and clouds name it, {@code 17} or {@code 17.5}, for the "at least" comparison
 * providers make where clouds move on their own (see the package documentation): a running version satisfies a
 * wanted one when it has the same major and the same minor or a newer one, any minor when only a major is wanted.
 * Parts after the minor ({@code 17.5.1}) are not compared.
 *
 * @param major the major version, such as 17
 * @param minor the minor version, such as 5; -1 when only the major is named
 */
public record Version(int major, int minor) {
  /**
   * Reads {@code 17} or {@code 17.5}.
   *
   * @param text the version
   * @return the version
   * @throws IllegalArgumentException naming the text when it does not start with a number or its minor is none
   */
  public static Version parse(String text) {
    String[] parts = text.split("\\.");
    try {
      return new Version(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : -1);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a version such as 17 or 17.5: " + Text.quote(text), e);
    }
  }

  /**
   * Whether this version, running, satisfies {@code wanted}: the same major, and the same or a newer minor.
   *
   * @param wanted the version a spec asks for
   * @return true if nothing needs to change
   */
  public boolean satisfies(Version wanted) {
    return major == wanted.major && (wanted.minor < 0 || minor >= wanted.minor);
  }

  /**
   * Whether only a major is named ({@code 17}), leaving the minor to the cloud.
   *
   * @return true if there is no minor
   */
  public boolean majorOnly() {
    return minor < 0;
  }

  /** {@code 17} or {@code 17.5}. */
  @Override
  public String toString() {
    return majorOnly() ? String.valueOf(major) : major + "." + minor;
  }
}
