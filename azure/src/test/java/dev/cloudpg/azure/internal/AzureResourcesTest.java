package dev.cloudpg.azure.internal;

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

/** Every resource of the module is stateless between calls: all its instance fields, inherited ones too, are final. */
class AzureResourcesTest {

  /** The classes of the module's main code, found on disk next to this package's compiled classes. */
  private static List<Class<?>> moduleClasses() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(Keys.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("dev/cloudpg/azure"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        classes.add(Class.forName(name, false, Keys.class.getClassLoader()));
      }
    }
    return classes;
  }

  @Test
  void resources_whenInspected_haveOnlyFinalInstanceFields() throws Exception {
    List<Class<?>> resources = moduleClasses().stream().filter(Resource.class::isAssignableFrom).toList();
    List<String> mutable = new ArrayList<>();
    for (Class<?> type : resources) {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
            mutable.add(type.getSimpleName() + " (" + c.getSimpleName() + "." + f.getName() + ")");
          }
        }
      }
    }

    assertThat(resources).as("the resources found").hasSizeGreaterThanOrEqualTo(16)
        .contains(AksClusterResource.class, RoleAssignmentResource.class, VnetPeeringResource.class,
            CnpgClusterResource.class, GenericArmResource.class);
    assertThat(mutable).as("instance fields that are not final").isEmpty();
  }
}
