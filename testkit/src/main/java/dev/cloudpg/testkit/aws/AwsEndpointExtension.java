package dev.cloudpg.testkit.aws;

import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Gives a JUnit 5 test an {@link AwsEndpoint} (as a parameter of test, lifecycle or constructor methods). Use it
 * through {@link WithAwsEndpoint}, which also says which {@link AwsService}s the tests need. The endpoint is, in this
 * order:
 *
 * <ol>
 *   <li>the one in the environment variable {@value #ENDPOINT_VARIABLE}, if set;
 *   <li>a {@code moto_server} from the {@code PATH}, started once per test run on a free loopback port;
 *   <li>for tests that need only {@link AwsService#EC2}: a LocalStack container ({@link LocalStackEndpoint}), started
 *       once per run through Testcontainers, when {@value LocalStackEndpoint#AUTH_TOKEN_VARIABLE} is set,
 *       Testcontainers' LocalStack module is on the test class path and a Docker engine answers (LocalStack's free
 *       edition has no RDS, so tests that need RDS never get it);
 *   <li>else none: each test of the class is reported skipped with the reason and what to install, and the reason is
 *       printed once per run on standard error so that it shows in a build's output. When the environment variable
 *       {@code CI} is {@code true} the tests fail instead, so that a CI machine without an emulator cannot pass by
 *       running none of them.
 * </ol>
 *
 * <p>The emulators it started are reset before each test class and stopped at the end of the run. Without an
 * endpoint the class's {@code @BeforeAll} and {@code @AfterAll} methods are not run (its tests do not run either);
 * a test class with the per-class lifecycle that takes the endpoint in its constructor is then reported aborted as a
 * whole, since JUnit cannot create it: take it in a {@code @BeforeAll} method instead.
 */
public final class AwsEndpointExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver,
    InvocationInterceptor, TestInstancePreConstructCallback {
  /** The environment variable naming an endpoint to use instead of starting moto. */
  public static final String ENDPOINT_VARIABLE = "CLOUDPG_AWS_ENDPOINT";
  /** The environment variable naming the region tests use (default {@code eu-west-1}). */
  public static final String REGION_VARIABLE = "CLOUDPG_AWS_REGION";

  /**
   * For this package's tests: a configuration parameter naming an entry of {@link #TEST_SETUPS}, which then stands
   * for this machine's environment, {@code PATH} and Docker engine in that run of the engine.
   */
  static final String TEST_SETUP_PARAMETER = "dev.cloudpg.testkit.aws.test-setup";
  static final Map<String, TestSetup> TEST_SETUPS = new ConcurrentHashMap<>();

  /** Decision inputs and console standing in for the real ones in a run of this package's tests. */
  record TestSetup(EndpointChoice.Inputs inputs, PrintStream console) {}

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
      AwsEndpointExtension.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Run run = run(context);
    EndpointChoice choice = run.choice(needed(context));
    if (choice.available()) {
      return ConditionEvaluationResult.enabled("AWS endpoint: " + choice.source());
    }
    if (context.getTestMethod().isEmpty()) {
      // the class runs so that each of its tests is reported skipped (or failed), rather than none at all
      return ConditionEvaluationResult.enabled("no AWS endpoint; its tests are reported one by one");
    }
    run.announce(choice);
    if (choice.fails()) {
      throw new IllegalStateException(choice.reason());
    }
    return ConditionEvaluationResult.disabled(choice.reason());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Run run = run(context);
    EndpointChoice choice = run.choice(needed(context));
    if (choice.available()) {
      run.endpoint(choice).reset();
    }
  }

  /**
   * Without an endpoint, a class whose constructor takes one cannot be created: with the per-class lifecycle JUnit
   * creates it even though every test is disabled, so it is aborted (failed under {@code CI=true}) with the reason.
   */
  @Override
  public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
    EndpointChoice choice = run(context).choice(needed(context));
    boolean takesEndpoint = Arrays.stream(factoryContext.getTestClass().getDeclaredConstructors())
        .anyMatch(c -> Arrays.asList(c.getParameterTypes()).contains(AwsEndpoint.class));
    if (!choice.available() && takesEndpoint) {
      run(context).announce(choice);
      if (choice.fails()) {
        throw new IllegalStateException(choice.reason());
      }
      throw new TestAbortedException(choice.reason());
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == AwsEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Run run = run(context);
    EndpointChoice choice = run.choice(needed(context));
    if (choice.available()) {
      return run.endpoint(choice);
    }
    if (parameter.getDeclaringExecutable() instanceof Constructor) {
      throw new ParameterResolutionException(choice.reason());
    }
    // a @BeforeAll or @AfterAll method, which interceptBeforeAllMethod / interceptAfterAllMethod skip
    return null;
  }

  @Override
  public void interceptBeforeAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
    proceedIfAvailable(invocation, extensionContext);
  }

  @Override
  public void interceptAfterAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
    proceedIfAvailable(invocation, extensionContext);
  }

  private static void proceedIfAvailable(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
    if (run(context).choice(needed(context)).available()) {
      invocation.proceed();
    } else {
      invocation.skip();
    }
  }

  /** The services the test class declares, looking through enclosing classes for {@code @Nested} ones. */
  static Set<AwsService> needed(ExtensionContext context) {
    for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
      Optional<WithAwsEndpoint> declared = AnnotationSupport.findAnnotation(c, WithAwsEndpoint.class);
      if (declared.isPresent()) {
        Set<AwsService> services = EnumSet.noneOf(AwsService.class);
        services.addAll(List.of(declared.get().services()));
        return services.isEmpty() ? EnumSet.allOf(AwsService.class) : services;
      }
    }
    return EnumSet.allOf(AwsService.class);
  }

  private static Run run(ExtensionContext context) {
    Optional<TestSetup> setup = context.getConfigurationParameter(TEST_SETUP_PARAMETER).map(TEST_SETUPS::get);
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Run.class,
        k -> setup.map(s -> new Run(s.inputs(), s.console()))
            .orElseGet(() -> new Run(EndpointChoice.realInputs(System.getenv()), System.err)),
        Run.class);
  }

  /** A test run's choices and the emulators started for it; closed (emulators stopped) when the run ends. */
  private static final class Run implements AutoCloseable {
    private final EndpointChoice.Inputs inputs;
    private final PrintStream console;
    private final String region;
    private final Map<Set<AwsService>, EndpointChoice> choices = new HashMap<>();
    private final Map<EndpointChoice.Source, AwsEndpoint> endpoints = new EnumMap<>(EndpointChoice.Source.class);
    private final Map<EndpointChoice.Source, RuntimeException> failures = new EnumMap<>(EndpointChoice.Source.class);
    private final Set<String> announced = new HashSet<>();
    private MotoServer moto;
    private LocalStackEndpoint localStack;

    Run(EndpointChoice.Inputs inputs, PrintStream console) {
      this.inputs = inputs;
      this.console = console;
      String configured = inputs.variable(REGION_VARIABLE);
      this.region = configured == null ? "eu-west-1" : configured;
    }

    synchronized EndpointChoice choice(Set<AwsService> needed) {
      return choices.computeIfAbsent(Set.copyOf(needed), n -> EndpointChoice.decide(n, inputs));
    }

    /** Prints why there is no endpoint, once per reason and run, where a build's output shows it. */
    synchronized void announce(EndpointChoice choice) {
      if (announced.add(choice.reason())) {
        console.println("[cloudpg-testkit] AWS tests " + (choice.fails() ? "FAIL" : "SKIPPED") + ": "
            + choice.reason());
        console.flush();
      }
    }

    /** The endpoint of an available choice, starting its emulator the first time; a failed start is not retried. */
    synchronized AwsEndpoint endpoint(EndpointChoice choice) {
      EndpointChoice.Source source = choice.source();
      AwsEndpoint endpoint = endpoints.get(source);
      if (endpoint != null) {
        return endpoint;
      }
      RuntimeException failed = failures.get(source);
      if (failed != null) {
        throw new IllegalStateException("the AWS endpoint (" + source + ") did not start earlier in this run: "
            + failed.getMessage(), failed);
      }
      try {
        endpoint = start(choice);
      } catch (RuntimeException e) {
        failures.put(source, e);
        throw e;
      }
      endpoints.put(source, endpoint);
      return endpoint;
    }

    private AwsEndpoint start(EndpointChoice choice) {
      switch (choice.source()) {
        case EXPLICIT:
          return new AwsEndpoint(choice.explicit(), region, AwsEndpoint.Kind.EXPLICIT, () -> { });
        case MOTO:
          moto = MotoServer.start();
          return new AwsEndpoint(moto.endpoint(), region, AwsEndpoint.Kind.MOTO, moto::reset);
        case LOCALSTACK:
          String image = inputs.variable(LocalStackEndpoint.IMAGE_VARIABLE);
          console.println("[cloudpg-testkit] no " + MotoServer.COMMAND + " on the PATH: starting LocalStack ("
              + (image == null ? LocalStackEndpoint.DEFAULT_IMAGE : image) + ") for the EC2-only AWS tests");
          localStack = LocalStackEndpoint.start(image == null ? LocalStackEndpoint.DEFAULT_IMAGE : image,
              inputs.variable(LocalStackEndpoint.AUTH_TOKEN_VARIABLE));
          return new AwsEndpoint(localStack.endpoint(), region, AwsEndpoint.Kind.LOCALSTACK, localStack::reset);
        default:
          throw new IllegalStateException("no endpoint to start: " + choice);
      }
    }

    @Override
    public synchronized void close() {
      try {
        if (moto != null) {
          moto.close();
        }
      } finally {
        if (localStack != null) {
          localStack.close();
        }
      }
    }
  }
}
