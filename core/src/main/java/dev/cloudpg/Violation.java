package dev.cloudpg;

/**
 * One broken rule of a spec: the field path ({@code networks[db].cidr}), the offending value as text (secrets show as
 * {@code ****}) and the problem.
 */
public record Violation(String path, String value, String problem) {
  @Override
  public String toString() {
    return path + ": \"" + value + "\" " + problem;
  }
}
