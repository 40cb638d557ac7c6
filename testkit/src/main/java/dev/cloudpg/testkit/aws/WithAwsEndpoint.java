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
 * {@link AwsEndpoint} parameter to receive it:
 *
 * <pre>{@code
 * @WithAwsEndpoint
 * class MyStackIT {
 *   @Test
 *   void apply_whenFresh_createsCluster(AwsEndpoint aws) { ... aws.uri() ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(AwsEndpointExtension.class)
public @interface WithAwsEndpoint {}
