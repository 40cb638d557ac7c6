/**
 * Loopback fakes of the APIs the mst provider talks to, for tests that must not reach a cloud:
 * {@link dev.cloudpg.testkit.mst.FakeAiven} for the Aiven API (project VPCs, Azure peering connections with their
 * real state machine, PostgreSQL services) and {@link dev.cloudpg.testkit.mst.FakeGraph} for the Microsoft Graph
 * requests that set up Entra ID for the peering.
 *
 * <p>Both listen on 127.0.0.1 only, on a port the system picks, answer with the real services' error bodies, can be
 * told to fail the next requests, and keep a request log that never holds a token or a password. Close them when the
 * test ends; try-with-resources does it.
 */
package dev.cloudpg.testkit.mst;
