package dev.cloudpg;

import java.util.Objects;

/**
 * A secret value, such as a password. Its {@code toString} never shows the value, so a secret can travel in specs,
 * outputs, events and exceptions without leaking; only {@link #reveal()} returns it.
 *
 * <p>Immutable and thread-safe; two secrets are equal when their values are.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /**
   * A secret holding the given value.
   *
   * @param value the secret value
   * @return the secret
   * @throws NullPointerException if {@code value} is null
   */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /**
   * A secret read from an environment variable.
   *
   * @param variable the variable's name
   * @return the secret holding the variable's value
   * @throws IllegalArgumentException if the variable is not set (the message names the variable, never a value)
   */
  public static Secret fromEnv(String variable) {
    String value = System.getenv(variable);
    if (value == null) {
      throw new IllegalArgumentException("environment variable " + variable + " is not set");
    }
    return new Secret(value);
  }

  /**
   * The secret value itself. Call it only where the value must leave the program, such as an API request.
   *
   * @return the value
   */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret && ((Secret) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "****";
  }
}
