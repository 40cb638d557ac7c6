package dev.cloudpg.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.ResourceKey;
import dev.cloudpg.spi.AbstractResource;
import dev.cloudpg.spi.Observed;
import dev.cloudpg.spi.Outputs;
import dev.cloudpg.spi.Resource;
import dev.cloudpg.spi.StepContext;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every resource of the module is stateless between calls, as the engine requires (any call may be repeated, by
 * another process too): its instance fields, its superclasses' included, are final and hold no atomic or lock.
 */
class ResourcesHoldNoStateTest {

  /** Every class of the module's main code that implements {@link Resource}, read from its class directory. */
  private static List<Class<?>> resourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(AwsProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("dev/cloudpg/aws"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
            .replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, false, AwsProvider.class.getClassLoader());
        if (Resource.class.isAssignableFrom(c) && !c.isInterface()) {
          found.add(c);
        }
      }
    }
    return found;
  }

  /** The instance fields of {@code type} and its superclasses that could carry state from one call to the next. */
  private static List<String> mutableFields(Class<?> type) {
    List<String> mutable = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
          continue;
        }
        boolean holder = f.getType().getPackageName().equals("java.util.concurrent.atomic")
            || Lock.class.isAssignableFrom(f.getType());
        if (!Modifier.isFinal(f.getModifiers()) || holder) {
          mutable.add(type.getSimpleName() + "." + f.getName() + " (" + c.getSimpleName() + ")");
        }
      }
    }
    return mutable;
  }

  @Test
  void resources_whenScanned_haveOnlyFinalInstanceFields() throws Exception {
    List<Class<?>> resources = resourceClasses();

    assertThat(resources).extracting(Class::getSimpleName).contains("VpcResource", "SubnetResource",
        "RouteTableAssociationResource", "SecurityGroupResource", "DbSubnetGroupResource", "AuroraClusterResource",
        "AuroraInstanceResource", "PeeringResource", "PeeringRoutesResource", "PeeringIngressResource");
    assertThat(resources.stream().flatMap(c -> mutableFields(c).stream()).toList()).isEmpty();
  }

  /** A resource that remembers something between calls, as the check above must catch. */
  private static final class Remembering extends AbstractResource {
    private boolean attempted;
    private final java.util.concurrent.atomic.AtomicBoolean alsoAttempted = new java.util.concurrent.atomic
        .AtomicBoolean();

    Remembering() {
      super(ResourceKey.of("aws", "test", "x"), List.of());
    }

    @Override
    public Map<String, String> desired() {
      return Map.of();
    }

    @Override
    public Optional<Observed> read(StepContext ctx) {
      return Optional.empty();
    }

    @Override
    public Outputs create(StepContext ctx) {
      attempted = !alsoAttempted.getAndSet(true);
      return Outputs.empty();
    }

    @Override
    public void delete(StepContext ctx, Observed current) {}
  }

  @Test
  void mutableFields_whenAResourceRemembersAttempts_namesEachField() {
    assertThat(mutableFields(Remembering.class)).containsExactlyInAnyOrder(
        "Remembering.attempted (Remembering)", "Remembering.alsoAttempted (Remembering)");
  }
}
