package dev.cloudpg.testkit.aws;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The only class of the testkit that names Testcontainers' types, so that the rest loads without Testcontainers on
 * the class path; {@link LocalStackEndpoint} calls it only after checking that the module is there.
 */
final class LocalStackContainers {
  /** A started container: its endpoint, and how to stop it. */
  record Started(URI endpoint, AutoCloseable container) {}

  private LocalStackContainers() {}

  /** Testcontainers' own check, asked only once {@link DockerProbe} found an engine that answers. */
  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  static Started start(String image, String authToken, String services) {
    LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(image))
        .withServices(services)
        .withEnv(LocalStackEndpoint.AUTH_TOKEN_VARIABLE, authToken);
    try {
      container.start();
      return new Started(container.getEndpoint(), container);
    } catch (RuntimeException e) {
      container.close();
      throw e;
    }
  }
}
