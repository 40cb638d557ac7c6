package dev.cloudpg.internal;

import dev.cloudpg.ProvisioningEvent;
import dev.cloudpg.ProvisioningListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per transition on {@code dev.cloudpg.engine}: waits at debug, retries at warn, failures at error. */
public final class Slf4jListener implements ProvisioningListener {
  public static final Slf4jListener INSTANCE = new Slf4jListener();
  private static final Logger LOG = LoggerFactory.getLogger("dev.cloudpg.engine");

  private Slf4jListener() {}

  @Override
  public void onEvent(ProvisioningEvent e) {
    String resource = e.resource().map(Object::toString).orElse("-");
    switch (e.type()) {
      case WAITING:
        LOG.debug("{} {}", resource, e.message());
        break;
      case RETRYING:
        LOG.warn("{} {}", resource, e.message());
        break;
      case FAILED:
        LOG.error("{} {}", resource, e.message());
        break;
      default:
        LOG.info("{} {}", resource, e.message());
        break;
    }
  }
}
