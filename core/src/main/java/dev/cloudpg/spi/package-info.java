/**
 * The provider SPI: how a cloud plugs into cloudpg's engine. Everything here is enough to write a provider; the
 * testkit's {@code FakeCloud} is a complete one written against it alone.
 *
 * <h2>The engine's cycle</h2>
 *
 * <ol>
 *   <li><b>Validate and expand.</b> {@link dev.cloudpg.spi.Provider#validate} adds the provider's rules to a
 *       {@link dev.cloudpg.spi.Violations} (no cloud call; every problem at once; values are quoted with
 *       {@link dev.cloudpg.spi.Text#quote}). {@link dev.cloudpg.spi.Provider#expand} turns the
 *       {@link dev.cloudpg.Stack} into {@link dev.cloudpg.spi.Resource}s, each with a stable
 *       {@link dev.cloudpg.ResourceKey} (build keys in one place per provider, since expansion and output assembly
 *       both need them) and the keys it depends on. Both are called once per plan.
 *   <li><b>Check references.</b> While planning an apply (not a destroy),
 *       {@link dev.cloudpg.spi.Provider#checkReferences} reads what the spec refers to outside the stack (a peer
 *       network) and adds a violation for each reference that finds nothing, so the plan fails before any change.
 *   <li><b>Read.</b> {@link dev.cloudpg.spi.Resource#read} finds each resource (dependencies first) by deterministic
 *       name or by the {@link dev.cloudpg.spi.Ownership} tags and returns an {@link dev.cloudpg.spi.Observed}:
 *       owned, with its comparable properties and outputs, or foreign. It is not called when a dependency is absent
 *       or foreign.
 *   <li><b>Plan.</b> The engine compares {@code desired()} with the properties {@code read} reported, as strings,
 *       key by key, and only for keys {@code read} reports: CREATE when absent, UPDATE when every differing property
 *       is in {@code updatable()}, REPLACE when the others that differ are all in {@code replaceable()} (the
 *       resources that depend on it directly are then updated, even when up to date, to follow the new one), a
 *       {@link dev.cloudpg.ConflictException} when another differs or the resource is foreign, NOOP otherwise. A resource decides what "equal" means by what it reports: a newer minor version
 *       that satisfies the spec ({@link dev.cloudpg.spi.Version#satisfies}) can be reported as the spec's value.
 *   <li><b>Apply.</b> A resource starts as soon as its dependencies are done. {@code create}, {@code update} and
 *       {@code delete} <em>start</em> a change and return at once; the engine then calls {@code checkReady} or
 *       {@code checkDeleted} on the resource's {@link dev.cloudpg.spi.WaitPolicy} (backoff with jitter, a timeout)
 *       until the {@link dev.cloudpg.spi.Probe} says done or failed. A waiting resource holds no thread and no
 *       parallelism slot. A check may take the next idempotent step of a change made of several, deciding from
 *       what it reads. Outputs flow to dependents through typed {@link dev.cloudpg.spi.Output} handles, which the
 *       producing resource declares: {@code ctx.get(vpcKey, VpcResource.VPC_ID)}.
 *   <li><b>Retry.</b> The engine is the only layer that retries; provider clients make each request once (turn
 *       SDK retries off). {@link dev.cloudpg.spi.Provider#translate} maps SDK exceptions to
 *       {@link dev.cloudpg.ProviderException} and {@link dev.cloudpg.spi.Provider#retry} classifies them
 *       ({@link dev.cloudpg.spi.Retry}): never, transient (throttling, 5xx, resets: a bounded number of attempts,
 *       while planning too, each reported as a {@code RETRYING} event), or propagation (a just-made role not yet
 *       visible: retried within a time bound during an apply, given up at once while planning). Before retrying a
 *       failed {@code create} the engine calls {@code read}: an owned resource found there is adopted, so a request
 *       whose answer was lost is not resent blindly. Failures of a check count as pending polls when transient.
 *   <li><b>Replace.</b> A REPLACE runs new before old: {@code create} and {@code checkReady} for the new resource,
 *       then the updates of its direct dependents (which read its new outputs), then {@code delete} and
 *       {@code checkDeleted} of the old one, as read while planning. Before retrying the new one's failed
 *       {@code create}, when {@code read} still answers the old one, the engine asks
 *       {@link dev.cloudpg.spi.Resource#readReplacement} for the one the failed attempt may have made.
 *   <li><b>Destroy.</b> Owned resources are deleted in reverse dependency order, foreign ones never touched.
 * </ol>
 *
 * <h2>Rules for resources</h2>
 *
 * <ul>
 *   <li>Stateless between calls and thread-safe: no field changes after construction; everything a call needs
 *       comes from its arguments, the {@link dev.cloudpg.spi.StepContext} and the cloud. Any call may be repeated
 *       (after a lost answer, a crash, a resumed run).
 *   <li>{@code create} must tolerate finding its own resource already there (a retried request), adopting it;
 *       {@code delete} must tolerate a resource already gone.
 *   <li>Never sleep: return a pending probe and let the engine poll. The clock in the context is for timestamps.
 *   <li>{@code translate} may receive an exception it already translated; it must return it unchanged.
 *   <li>Secrets belong in outputs as {@link dev.cloudpg.Secret}s only, never in properties, notes or messages.
 * </ul>
 *
 * <p>Extend {@link dev.cloudpg.spi.AbstractCloud} with the provider; it implements {@link dev.cloudpg.Cloud} with
 * the engine. Give it {@link dev.cloudpg.spi.TimeSource#system()} for real clouds and a
 * {@link dev.cloudpg.spi.VirtualClock} for fakes and tests.
 */
package dev.cloudpg.spi;
