package dev.cloudpg.testkit.aws;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against an AWS-compatible endpoint given by {@link AwsEndpointExtension}; declare an
 * {@link AwsEndpoint} parameter (of a test, {@code @BeforeAll} or {@code @BeforeEach} method) to receive it:
 *
 * <pre>{@code
 * @WithAwsEndpoint
 * class MyStackIT {
 *   @Test
 *   void apply_whenFresh_createsCluster(AwsEndpoint aws) { ... aws.uri() ... }
 * }
 *
 * @WithAwsEndpoint(services = AwsService.EC2)   // networking only: LocalStack can serve it too
 * class MyNetworkIT { ... }
 * }</pre>
 *
 * <p>When no endpoint can be had, each test of the class is reported skipped with the reason (or failed, when the
 * environment variable {@code CI} is {@code true}); see {@link AwsEndpointExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(AwsEndpointExtension.class)
public @interface WithAwsEndpoint {
  /**
   * The AWS services the tests call; both by default. Declare {@code services = AwsService.EC2} for tests that only
   * touch networking, so that LocalStack can serve them where {@code moto_server} is missing.
   *
   * @return the services the tests of the class need
   */
  AwsService[] services() default {AwsService.EC2, AwsService.RDS};
}
