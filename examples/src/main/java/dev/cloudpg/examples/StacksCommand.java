package dev.cloudpg.examples;

import dev.cloudpg.StackSummary;
import dev.cloudpg.aws.AwsCloud;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The stacks an AWS region holds, one line each starting with the stack's name: its resource counts by type and its
 * peerings with the application VPC each leads to ({@code Cloud.stacks()}).
 *
 * <pre>
 * java -jar cloudpg-examples.jar stacks --region eu-west-1 [--endpoint http://127.0.0.1:5000]
 * </pre>
 */
@Command(name = "stacks", sortOptions = false,
    description = {"The cloudpg stacks of an AWS region, one line each: name, resources by type, peerings.",
        "Found by their cloudpg:stack tags; changes nothing."},
    footer = {"", "Credentials: the AWS SDK's default chain ('aws configure', AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
        + "AWS_SECRET_ACCESS_KEY); with --endpoint and no AWS_ACCESS_KEY_ID, the emulator's test/test."})
final class StacksCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Option(names = "--region", required = true, paramLabel = "R", description = "The AWS region to list.")
  String region;

  @Option(names = "--endpoint", paramLabel = "URL", converter = Converters.HttpUrl.class,
      description = "An AWS emulator to use instead of AWS, such as moto_server at http://127.0.0.1:5000.")
  URI endpoint;

  StacksCommand() {}

  @Override
  public Integer call() {
    try (AwsCloud cloud = AuroraExample.cloud(region, endpoint)) {
      List<StackSummary> stacks = cloud.stacks();
      stacks.forEach(s -> System.out.println(s.render()));
      if (stacks.isEmpty()) {
        System.err.println("no cloudpg stack in " + region);
      }
      return 0;
    }
  }
}
