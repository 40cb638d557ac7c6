package dev.cloudpg.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalStackEndpointTest {

  private static String get(URI uri) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs where Docker answers and a LocalStack auth token is set; reported skipped with the reason elsewhere. */
  @Test
  void start_whenDockerAndTokenPresent_servesEc2AndStopsOnClose() throws Exception {
    Optional<String> unavailable = LocalStackEndpoint.unavailableReason();
    assumeTrue(unavailable.isEmpty(), () -> "LocalStack not started: " + unavailable.orElse(""));
    URI endpoint;
    try (LocalStackEndpoint localStack = LocalStackEndpoint.start()) {
      endpoint = localStack.endpoint();
      assertThat(get(endpoint.resolve("/_localstack/health"))).contains("\"ec2\"");
      localStack.reset();
    }
    assertThatThrownBy(() -> get(endpoint.resolve("/_localstack/health"))).isInstanceOf(IOException.class);
  }

  @Test
  void moduleOnClassPath_whenTestcontainersLocalStackIsADependency_isTrue() {
    assertThat(LocalStackEndpoint.moduleOnClassPath()).isTrue();
  }

  @Test
  void start_whenTestcontainersMissing_failsWithWhatToAddAndUnavailableReasonSaysSo() throws Exception {
    ClassLoader withoutTestcontainers = new WithoutTestcontainers(getClass().getClassLoader());
    Class<?> localStack = Class.forName(LocalStackEndpoint.class.getName(), true, withoutTestcontainers);
    assertThat(localStack.getClassLoader()).isSameAs(withoutTestcontainers);

    Method moduleOnClassPath = localStack.getDeclaredMethod("moduleOnClassPath");
    moduleOnClassPath.setAccessible(true);
    assertThat(moduleOnClassPath.invoke(null)).isEqualTo(false);

    Method start = localStack.getMethod("start", String.class, String.class);
    assertThatThrownBy(() -> {
      try {
        start.invoke(null, LocalStackEndpoint.DEFAULT_IMAGE, "token");
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }).isInstanceOf(IllegalStateException.class).hasMessageContaining(LocalStackEndpoint.MODULE);
  }

  @Test
  void extension_whenTestcontainersMissing_loadsAndDecidesWithoutIt() throws Exception {
    ClassLoader withoutTestcontainers = new WithoutTestcontainers(getClass().getClassLoader());
    Class<?> extension = Class.forName(AwsEndpointExtension.class.getName(), true, withoutTestcontainers);
    extension.getConstructor().newInstance();
    Class<?> choice = Class.forName(EndpointChoice.class.getName(), true, withoutTestcontainers);
    Method realInputs = choice.getDeclaredMethod("realInputs", java.util.Map.class);
    realInputs.setAccessible(true);
    Object inputs = realInputs.invoke(null, java.util.Map.of("LOCALSTACK_AUTH_TOKEN", "token"));
    Method problem = choice.getDeclaredMethod("localStackProblem", inputs.getClass());
    problem.setAccessible(true);

    assertThat(problem.invoke(null, inputs)).isEqualTo(Optional.of("Testcontainers' LocalStack module ("
        + LocalStackEndpoint.MODULE + ") is not on the class path"));
  }

  /**
   * Loads this package's classes itself, so that what they refer to resolves through it, and refuses every
   * Testcontainers class, as on the class path of a user who did not add the module.
   */
  private static final class WithoutTestcontainers extends ClassLoader {
    private static final String PACKAGE = AwsEndpointExtension.class.getPackageName() + ".";

    WithoutTestcontainers(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith("org.testcontainers.")) {
          throw new ClassNotFoundException(name);
        }
        if (!name.startsWith(PACKAGE) || name.endsWith("Test") || name.contains("Test$")) {
          return super.loadClass(name, resolve);
        }
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
              throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            loaded = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }
}
