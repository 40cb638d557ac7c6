package dev.cloudpg;

import dev.cloudpg.spi.Violations;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed provider-specific settings attached to a neutral spec, such as {@code AuroraOptions} on a
 * {@link PostgresCluster}. A provider reads the options of its own types and ignores the others, so one stack can carry
 * options for several providers.
 */
public interface ProviderOptions {

  /** The first option of the given type in the list. */
  static <T extends ProviderOptions> Optional<T> find(List<ProviderOptions> options, Class<T> type) {
    return options.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** The name of an option's type as its user knows it, not its generated implementation's. */
  static String typeName(ProviderOptions option) {
    Class<?> type = option.getClass();
    return type.getSimpleName().startsWith("Immutable") ? type.getSuperclass().getSimpleName() : type.getSimpleName();
  }

  /** Reports an option type given more than once. */
  static void checkUnique(Violations v, String path, List<ProviderOptions> options) {
    Set<Class<?>> seen = new HashSet<>();
    for (ProviderOptions o : options) {
      if (!seen.add(o.getClass())) {
        v.add(path, typeName(o), "is given more than once");
      }
    }
  }
}
