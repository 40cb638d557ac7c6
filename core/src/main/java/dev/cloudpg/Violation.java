package dev.cloudpg;

import dev.cloudpg.spi.Text;

/**
 * One broken rule of a spec: the field path ({@code networks[db].cidr}), the offending value as text (secrets show as
 * {@code ****}) and the problem. {@code toString} quotes the value with control characters escaped and long values
 * cut ({@link Text#quote}), so a hostile value can neither forge log lines nor flood a message. Immutable and
 * thread-safe.
 *
 * @param path where the value sits in the spec, such as {@code databases[keycloak].port}
 * @param value the offending value as text
 * @param problem what is wrong, worded to follow the value: {@code must be between 1 and 16}
 */
public record Violation(String path, String value, String problem) {
  @Override
  public String toString() {
    return Text.escape(path) + ": " + Text.quote(value) + " " + problem;
  }
}
