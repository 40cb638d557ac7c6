package dev.cloudpg.mst.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cloudpg.spi.Resource;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Resources are stateless between calls: the engine may repeat any call, from any thread, in another process. */
class ResourcesHoldNoStateTest {

  private static List<Class<?>> moduleClasses() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(MstProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
        classes.add(Class.forName(name.substring(0, name.length() - ".class".length()), false,
            MstProvider.class.getClassLoader()));
      }
    }
    return classes;
  }

  /** The instance fields of {@code type} and its superclasses that are not final. */
  private static List<String> mutableFields(Class<?> type) {
    List<String> found = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
          continue;
        }
        if (!Modifier.isFinal(f.getModifiers())) {
          found.add(type.getSimpleName() + "." + f.getName() + " is not final");
        }
        if (f.getType().getPackageName().equals("java.util.concurrent.atomic")) {
          found.add(type.getSimpleName() + "." + f.getName() + " is a mutable " + f.getType().getSimpleName());
        }
      }
    }
    return found;
  }

  @Test
  void resources_always_haveOnlyFinalInstanceFields() throws Exception {
    List<Class<?>> resources = moduleClasses().stream()
        .filter(c -> Resource.class.isAssignableFrom(c) && !c.isInterface()).toList();

    assertThat(resources).extracting(Class::getSimpleName).contains("ProjectVpcResource", "ServiceResource",
        "EntraApplicationResource", "ServicePrincipalResource", "MstServicePrincipalResource",
        "RoleDefinitionResource", "PeeringConnectionResource", "VnetPeeringStep", "VnetRoleAssignment",
        "DelegatedResource");
    assertThat(resources.stream().flatMap(c -> mutableFields(c).stream()).toList()).isEmpty();
  }

  @Test
  void context_always_hasOnlyFinalInstanceFields() {
    assertThat(mutableFields(MstContext.class)).as("what every resource shares").isEmpty();
  }
}
