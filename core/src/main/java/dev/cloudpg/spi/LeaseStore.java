package dev.cloudpg.spi;

import dev.cloudpg.Stack;
import java.util.Optional;

/**
 * Where a provider keeps each stack's lease: one record in the cloud the stack lives in, written atomically (a
 * create-if-absent and a conditional replace, never a read then a write), so that runs on any number of machines
 * apply the same stack one at a time. The record is not a resource of the stack: discovery must not list it.
 * Implementations are thread-safe.
 */
public interface LeaseStore {
  /**
   * The stack's lease record, if there is one.
   *
   * @param stack the stack
   * @return the stored record with its version, expired or not; empty when there is none
   */
  Optional<LeaseRecord> current(Stack stack);

  /**
   * Creates the record {@code wanted} if the stack has none, atomically; returns the record that holds the lease
   * afterwards: {@code wanted} (with the store's version) when it was created, the holder's otherwise.
   *
   * @param stack the stack
   * @param wanted the record to create, with an empty version
   * @return the stored record, with its version
   */
  LeaseRecord acquire(Stack stack, LeaseRecord wanted);

  /**
   * Replaces {@code expected} by {@code next} only if the stored record is still {@code expected} (same version);
   * returns the stored record on success (with its new version), empty when someone else changed it first.
   *
   * @param stack the stack
   * @param expected the record as last read, with its version
   * @param next the record to store instead
   * @return the stored record with its new version, or empty if the stored record is no longer {@code expected}
   */
  Optional<LeaseRecord> replace(Stack stack, LeaseRecord expected, LeaseRecord next);

  /**
   * Deletes the record if it is still {@code held}; does nothing otherwise.
   *
   * @param stack the stack
   * @param held the record as this run last stored it, with its version
   */
  void release(Stack stack, LeaseRecord held);
}
