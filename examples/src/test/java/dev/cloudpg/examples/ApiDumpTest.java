package dev.cloudpg.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The published API of each library module, one line per public type and per public or protected member, is written
 * down in {@code <module>/api/cloudpg-<module>.api}; this test fails when the compiled API differs from it, naming the
 * lines added and removed. So every change of the API shows in review as a change of those files, and none happens by
 * accident. After a deliberate change, write the files anew with
 * {@code ./mvnw -B -pl examples -am test -Dtest=ApiDumpTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcloudpg.api.update=true}.
 */
class ApiDumpTest {
  /** The API packages of each module, in the order of {@link ApiSurfaceTest#API_PACKAGES}. */
  private static final Map<String, List<String>> MODULES = modules();
  /** {@code java.lang.String} reads as {@code String}; {@code java.lang.reflect} types keep their package. */
  private static final Pattern JAVA_LANG = Pattern.compile("\\bjava\\.lang\\.(?=[A-Z])");

  private static Map<String, List<String>> modules() {
    Map<String, List<String>> modules = new LinkedHashMap<>();
    for (String pkg : ApiSurfaceTest.API_PACKAGES) {
      String rest = pkg.equals("dev.cloudpg") || pkg.equals("dev.cloudpg.spi") ? "core"
          : pkg.substring("dev.cloudpg.".length()).replaceFirst("\\..*", "");
      modules.computeIfAbsent(rest, m -> new ArrayList<>()).add(pkg);
    }
    return modules;
  }

  @Test
  void publishedApiIsTheOneWrittenDown() throws IOException {
    assertThat(MODULES).containsOnlyKeys("core", "aws", "azure", "mst", "testkit");
    boolean update = Boolean.getBoolean("cloudpg.api.update");
    var differences = new ArrayList<String>();
    for (var module : MODULES.entrySet()) {
      Path name = Path.of(module.getKey(), "api", "cloudpg-" + module.getKey() + ".api");
      Path file = Path.of("..").resolve(name);
      List<String> actual = dump(module.getValue());
      if (update) {
        Files.createDirectories(file.getParent());
        Files.write(file, actual, StandardCharsets.UTF_8);
        continue;
      }
      List<String> expected = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      var added = new TreeSet<>(qualified(actual));
      qualified(expected).forEach(added::remove);
      var removed = new TreeSet<>(qualified(expected));
      qualified(actual).forEach(removed::remove);
      added.forEach(line -> differences.add(name + ": + " + line));
      removed.forEach(line -> differences.add(name + ": - " + line));
    }
    assertThat(differences).as("the compiled API against the api files (+ compiled but not written down, - written "
        + "down but not compiled); after a deliberate change, run this test with -Dcloudpg.api.update=true").isEmpty();
  }

  /**
   * The lines of a dump, each member with its type's line before it ({@code public final class dev.cloudpg.Stack ::
   * public String name()}), so that a member that many types have ({@code toString()}) is compared type by type.
   */
  private static List<String> qualified(List<String> lines) {
    List<String> out = new ArrayList<>();
    String type = "";
    for (String line : lines) {
      if (line.startsWith("  ")) {
        out.add(type + " :: " + line.strip());
      } else {
        type = line;
        out.add(line);
      }
    }
    return out;
  }

  /**
   * One module's API: each public type, sorted by name, with its kind, modifiers, supertypes and type parameters,
   * then its public and protected members in sorted order, indented, each without its class's name.
   */
  static List<String> dump(List<String> packages) {
    List<Class<?>> types = packages.stream().flatMap(ApiSurfaceTest::publicTypes)
        .sorted(Comparator.comparing(Class::getName)).toList();
    List<String> lines = new ArrayList<>();
    for (Class<?> type : types) {
      lines.add(type.toGenericString() + supertypes(type));
      var members = new TreeSet<String>();
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (ApiSurfaceTest.visible(c) && !c.isSynthetic()) {
          members.add(c.toGenericString());
        }
      }
      for (Method m : type.getDeclaredMethods()) {
        if (ApiSurfaceTest.visible(m) && !m.isSynthetic() && !m.isBridge()) {
          members.add(m.toGenericString());
        }
      }
      // What a type inherits from a supertype the dump does not list (a spec builder's methods, generated into its
      // package-private parent; a spec's with* methods, from its generated interface) is its own API.
      for (Method m : type.getMethods()) {
        Class<?> from = m.getDeclaringClass();
        if (from != type && !ApiSurfaceTest.listed(from) && !m.isSynthetic() && !m.isBridge()) {
          members.add(m.toGenericString().replace(from.getName() + ".", ""));
        }
      }
      for (Field f : type.getDeclaredFields()) {
        if (ApiSurfaceTest.visible(f) && !f.isSynthetic()) {
          members.add(f.toGenericString());
        }
      }
      // A member's own name without its class's, which the type's line above says.
      members.stream().map(m -> m.replace(type.getName() + ".", "")).sorted().forEach(m -> lines.add("  " + m));
    }
    return lines.stream().map(l -> JAVA_LANG.matcher(l).replaceAll("")).toList();
  }

  private static String supertypes(Class<?> type) {
    StringBuilder s = new StringBuilder();
    if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum()
        && !type.isRecord()) {
      s.append(" extends ").append(type.getGenericSuperclass().getTypeName());
    }
    if (type.getGenericInterfaces().length > 0) {
      s.append(type.isInterface() ? " extends " : " implements ").append(List.of(type.getGenericInterfaces())
          .stream().map(t -> t.getTypeName()).collect(Collectors.joining(", ")));
    }
    return s.toString();
  }
}
