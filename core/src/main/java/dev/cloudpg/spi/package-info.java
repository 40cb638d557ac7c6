/**
 * The provider SPI: how a cloud plugs into cloudpg's engine.
 *
 * <h2>Writing a provider</h2>
 *
 * <ol>
 *   <li>Implement {@link dev.cloudpg.spi.Provider}. {@code validate} adds the provider's own rules (machine types,
 *       naming limits) to a {@link dev.cloudpg.spi.Violations}; it must make no cloud call. {@code expand} turns a
 *       {@link dev.cloudpg.Stack} into concrete {@link dev.cloudpg.spi.Resource}s, each with a stable
 *       {@link dev.cloudpg.ResourceKey} and the keys it depends on. {@code outputs} assembles the typed
 *       {@link dev.cloudpg.StackOutputs} from the resources' {@link dev.cloudpg.spi.Outputs}. {@code translate} maps
 *       the SDK's exceptions to {@link dev.cloudpg.ProviderException}, whose {@code retryable()} flag tells the engine
 *       to retry the step.
 *   <li>Implement each {@link dev.cloudpg.spi.Resource} ({@link dev.cloudpg.spi.AbstractResource} holds its key and
 *       dependencies):
 *       <ul>
 *         <li>{@code read} finds the resource by deterministic name or ownership tags and returns an
 *             {@link dev.cloudpg.spi.Observed}: owned (tagged {@code cloudpg:stack=<stack>}) or foreign. It may use
 *             the outputs of its dependencies, which were read first; it is not called when a dependency is absent
 *             or foreign.
 *         <li>{@code create} makes the resource and waits until it is usable, through
 *             {@link dev.cloudpg.spi.StepContext#await}. It must be idempotent: if an owned resource with its identity
 *             already exists (a crash between the cloud's answer and the engine's record, a retried request), it
 *             adopts it instead of making a second one.
 *         <li>{@code update} changes, in place, properties listed in {@code updatable()}; a difference in any other
 *             desired property makes the plan refuse with a {@link dev.cloudpg.ConflictException}.
 *         <li>{@code delete} removes an owned resource and waits until it is gone; it is never called for foreign
 *             ones.
 *       </ul>
 *   <li>Extend {@link dev.cloudpg.spi.AbstractCloud} with the provider; it implements {@link dev.cloudpg.Cloud} with
 *       the engine: concurrent reads, apply by dependencies with bounded parallelism, retries of transient errors
 *       (Failsafe, around whole steps: SDKs retry single calls themselves), waits with backoff and jitter on an
 *       injectable {@link dev.cloudpg.spi.TimeSource}, events, resume after failure, reverse-order destroy.
 * </ol>
 *
 * <p>Resource properties in {@code desired()} and {@code Observed.properties()} are plain strings compared as such;
 * secrets belong in neither. The testkit's {@code FakeCloud} is a complete provider written against this SPI alone.
 */
package dev.cloudpg.spi;
