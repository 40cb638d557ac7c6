package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published API of every library module names only published types: no public or protected member or thrown
 * exception of a type in an API package mentions an {@code internal} package or an Immutables-generated
 * {@code Immutable*} class, and no API type extends or implements an internal one. That is the boundary
 * {@code module-info.java} enforces where a module has one, checked here for all of them, descriptors or not.
 *
 * <p>Nor does a module's code use another module's internal packages: cloudpg-mst builds on cloudpg-azure through
 * {@code dev.cloudpg.azure.spi} only, and the examples use the published API as a user would. The check reads the
 * class files, which name every type a class uses; a compile-time constant ({@code static final String}) is copied
 * into its user by javac and so cannot be seen there.
 *
 * <p>One generated name is still visible: the specs' builders extend their package-private generated builders
 * ({@code Stack.Builder extends ImmutableStack.Builder}), which Javadoc shows in the class hierarchy; the test pins
 * that list so that it can only shrink.
 */
class ApiSurfaceTest {
  static final List<String> API_PACKAGES = List.of("dev.cloudpg", "dev.cloudpg.spi", "dev.cloudpg.aws",
      "dev.cloudpg.azure", "dev.cloudpg.azure.spi", "dev.cloudpg.mst", "dev.cloudpg.testkit", "dev.cloudpg.testkit.aws",
      "dev.cloudpg.testkit.azure", "dev.cloudpg.testkit.mst");

  @Test
  void publicSignaturesNameNoInternalOrGeneratedType() {
    List<Class<?>> types = API_PACKAGES.stream().flatMap(ApiSurfaceTest::publicTypes).toList();
    assertThat(types).as("the API types found").hasSizeGreaterThan(50)
        .extracting(Class::getPackageName).contains("dev.cloudpg.aws", "dev.cloudpg.azure", "dev.cloudpg.mst",
            "dev.cloudpg.testkit.azure");

    var leaks = new TreeSet<String>();
    var generatedSuperclasses = new TreeSet<String>();
    for (Class<?> type : types) {
      Type superclass = type.getGenericSuperclass();
      if (superclass != null && superclass.getTypeName().matches(".*\\.Immutable\\w+\\$Builder")) {
        generatedSuperclasses.add(type.getName().substring(type.getPackageName().length() + 1).replace('$', '.'));
      } else {
        check(type.getName() + " extends", superclass, leaks);
      }
      for (Type i : type.getGenericInterfaces()) {
        check(type.getName() + " implements", i, leaks);
      }
      for (Method m : type.getDeclaredMethods()) {
        if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
          check(m, m.getGenericReturnType(), leaks);
          checkParameters(m, leaks);
        }
      }
      for (Method m : type.getMethods()) {
        if (!listed(m.getDeclaringClass()) && !m.isSynthetic() && !m.isBridge()) {
          check(type.getName() + " inherits " + m.getName(), m.getGenericReturnType(), leaks);
          checkParameters(m, leaks);
        }
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (visible(c) && !c.isSynthetic()) {
          checkParameters(c, leaks);
        }
      }
      for (Field f : type.getDeclaredFields()) {
        if (visible(f) && !f.isSynthetic()) {
          check(f, f.getGenericType(), leaks);
        }
      }
    }
    assertThat(leaks).as("API members that name an internal or generated type").isEmpty();
    assertThat(generatedSuperclasses).as("builders that still extend a generated builder").isSubsetOf(
        "ApplyOptions.Builder", "DatabaseOutputs.Builder", "DestroyOptions.Builder", "Network.Builder",
        "NetworkOutputs.Builder", "Peering.Builder", "PeeringOutputs.Builder", "PostgresCluster.Builder",
        "Stack.Builder", "StackOutputs.Builder");
  }

  @Test
  void noModuleUsesAnotherModulesInternals() throws Exception {
    Map<String, Class<?>> modules = new TreeMap<>(Map.of("core", dev.cloudpg.Stack.class, "aws",
        dev.cloudpg.aws.AwsCloud.class, "azure", dev.cloudpg.azure.AzureCloud.class, "mst",
        dev.cloudpg.mst.MstCloud.class, "testkit", dev.cloudpg.testkit.FakeCloud.class, "examples", Examples.class));
    Pattern internal = Pattern.compile("dev/cloudpg/(?:[a-z]+/)*internal/");
    var foreign = new TreeSet<String>();
    var scanned = new TreeMap<String, Integer>();
    for (var module : modules.entrySet()) {
      String own = module.getKey().equals("core") ? "dev/cloudpg/internal/"
          : "dev/cloudpg/" + module.getKey() + "/internal/";
      Map<String, byte[]> classes = classFiles(module.getValue());
      scanned.put(module.getKey(), classes.size());
      classes.forEach((name, bytes) -> {
        // A class file names every type it uses, as a UTF-8 constant; ISO-8859-1 keeps the ASCII names as they are.
        Matcher m = internal.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        while (m.find()) {
          if (!m.group().equals(own)) {
            foreign.add(module.getKey() + ": " + name + " uses " + m.group());
          }
        }
      });
    }
    assertThat(scanned).as("class files read per module").allSatisfy((module, n) -> assertThat(n).isPositive());
    assertThat(scanned.get("mst")).as("mst's class files, internal ones included").isGreaterThan(30);
    assertThat(foreign).as("classes that use another module's internal package").isEmpty();
  }

  /** Every class file of the jar or class directory a class was loaded from, by name. */
  private static Map<String, byte[]> classFiles(Class<?> of) throws IOException, URISyntaxException {
    Path where = Path.of(of.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, byte[]> classes = new TreeMap<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> files = Files.walk(where)) {
        for (Path p : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          classes.put(where.relativize(p).toString(), Files.readAllBytes(p));
        }
      }
    } else {
      try (JarFile jar = new JarFile(where.toFile())) {
        for (JarEntry e : Collections.list(jar.entries())) {
          if (e.getName().endsWith(".class")) {
            try (var in = jar.getInputStream(e)) {
              classes.put(e.getName(), in.readAllBytes());
            }
          }
        }
      }
    }
    return classes;
  }

  private static void checkParameters(Executable e, TreeSet<String> leaks) {
    for (Type p : e.getGenericParameterTypes()) {
      check(e, p, leaks);
    }
    for (Type x : e.getGenericExceptionTypes()) {
      check(e, x, leaks);
    }
  }

  private static void check(Object where, Type type, TreeSet<String> leaks) {
    if (type == null) {
      return;
    }
    String name = type.getTypeName();
    if (name.contains(".internal.") || name.matches("(?s).*\\bImmutable[A-Z].*")) {
      String member = where instanceof Member m ? m.getDeclaringClass().getName() + "." + m.getName() : where.toString();
      leaks.add(member + ": " + name);
    }
  }

  static boolean visible(Member m) {
    return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
  }

  /** The public top-level and nested types of one package, from a class directory or a jar. */
  static Stream<Class<?>> publicTypes(String pkg) {
    String dir = pkg.replace('.', '/');
    List<String> names = new ArrayList<>();
    try {
      for (URL url : Collections.list(ApiSurfaceTest.class.getClassLoader().getResources(dir))) {
        if ("jar".equals(url.getProtocol())) {
          JarURLConnection connection = (JarURLConnection) url.openConnection();
          connection.setUseCaches(false);
          try (JarFile jar = connection.getJarFile()) {
            jar.stream().map(e -> e.getName())
                .filter(n -> n.startsWith(dir + "/") && n.indexOf('/', dir.length() + 1) < 0 && n.endsWith(".class"))
                .forEach(n -> names.add(n.substring(dir.length() + 1)));
          }
        } else {
          try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class")).forEach(names::add);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return names.stream().filter(n -> !n.equals("package-info.class") && !n.equals("module-info.class"))
        .<Class<?>>map(n -> load(pkg + "." + n.substring(0, n.length() - ".class".length())))
        .filter(c -> Modifier.isPublic(c.getModifiers()) && !c.isSynthetic() && !c.isAnonymousClass()
            && publiclyReachable(c));
  }

  /** Whether a type is one of the API types, which the API lists itself; {@code Object}'s methods are everyone's. */
  static boolean listed(Class<?> c) {
    return c == Object.class || Modifier.isPublic(c.getModifiers()) && publiclyReachable(c);
  }

  private static boolean publiclyReachable(Class<?> c) {
    for (Class<?> outer = c.getDeclaringClass(); outer != null; outer = outer.getDeclaringClass()) {
      if (!Modifier.isPublic(outer.getModifiers())) {
        return false;
      }
    }
    return !c.getSimpleName().startsWith("Immutable");
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ApiSurfaceTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
