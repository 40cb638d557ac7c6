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

  /**
   * The first option of the given type in the list.
   *
   * @param <T> the option's type
   * @param options the options of a spec
   * @param type the option's class
   * @return the first option that is an instance of {@code type}, or empty
   */
  static <T extends ProviderOptions> Optional<T> find(List<ProviderOptions> options, Class<T> type) {
    return options.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /**
   * The name of an option's type as its user knows it, not its generated implementation's.
   *
   * @param option an option
   * @return the simple name of its class, or of the class its generated {@code Immutable} implementation extends
   */
  static String typeName(ProviderOptions option) {
    Class<?> type = option.getClass();
    return type.getSimpleName().startsWith("Immutable") ? type.getSuperclass().getSimpleName() : type.getSimpleName();
  }

  /**
   * Reports an option type given more than once.
   *
   * @param v where to add a violation for each repeated type
   * @param path the options' path in the spec, such as {@code databases[keycloak].options}
   * @param options the options of a spec
   */
  static void checkUnique(Violations v, String path, List<ProviderOptions> options) {
    Set<Class<?>> seen = new HashSet<>();
    for (ProviderOptions o : options) {
      if (!seen.add(o.getClass())) {
        v.add(path, typeName(o), "is given more than once");
      }
    }
  }
}
