/**
 * Fakes for testing programs that use cloudpg without a cloud. {@link dev.cloudpg.testkit.FakeCloud} runs the real
 * engine over an in-memory cloud with simulated time, fault injection, a call log and an inspection API.
 */
package dev.cloudpg.testkit;
