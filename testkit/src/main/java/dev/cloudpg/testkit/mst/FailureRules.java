package dev.cloudpg.testkit.mst;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Failures a test asked for: the next {@code times} requests matching a method and path answer with a status. */
final class FailureRules {
  record Failure(int status, String message) {
    /** Whether the request is to take effect and its answer be dropped, instead of failing. */
    boolean losesAnswer() {
      return status == LOSE_ANSWER;
    }
  }

  /** The status of a planned lost answer. */
  static final int LOSE_ANSWER = 0;

  private static final class Rule {
    final String method;
    final Pattern path;
    final Failure failure;
    int remaining;

    Rule(String method, Pattern path, Failure failure, int remaining) {
      this.method = method;
      this.path = path;
      this.failure = failure;
      this.remaining = remaining;
    }
  }

  private final List<Rule> rules = new ArrayList<>();

  synchronized void add(String method, String pathRegex, int status, String message, int times) {
    if (times < 1 || status != LOSE_ANSWER && (status < 400 || status > 599)) {
      throw new IllegalArgumentException("need times >= 1 and an error status 4xx/5xx: " + times + ", " + status);
    }
    rules.add(new Rule(method.toUpperCase(Locale.ROOT), Pattern.compile(pathRegex),
        new Failure(status, message), times));
  }

  /** The failure for this request, if a rule matches; each match uses up one of the rule's times. */
  synchronized Optional<Failure> next(String method, String path) {
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule rule = it.next();
      if (rule.method.equals(method) && rule.path.matcher(path).matches()) {
        if (--rule.remaining == 0) {
          it.remove();
        }
        return Optional.of(rule.failure);
      }
    }
    return Optional.empty();
  }
}
