package dev.cloudpg;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A spec breaks one or more rules. Thrown when a spec is built or planned, always before any cloud call; lists every
 * violation, each with its field path and value.
 */
public class InvalidSpecException extends CloudpgException {
  private static final long serialVersionUID = 1L;
  private final transient List<Violation> violations;

  /**
   * Makes the exception; the message lists every violation, one a line.
   *
   * @param violations the broken rules, at least one
   */
  public InvalidSpecException(List<Violation> violations) {
    super(violations.size() == 1 ? "invalid spec: " + violations.get(0)
        : "invalid spec, " + violations.size() + " problems:\n  "
            + violations.stream().map(Violation::toString).collect(Collectors.joining("\n  ")));
    this.violations = List.copyOf(violations);
  }

  /**
   * Every broken rule, in the order they were found.
   *
   * @return the violations, unmodifiable
   */
  public List<Violation> violations() {
    return violations;
  }
}
