/**
 * Wire-level fakes for the Azure platform: {@link dev.cloudpg.testkit.azure.FakeArm} serves Azure Resource Manager
 * and {@link dev.cloudpg.testkit.azure.FakeKubernetes} a Kubernetes API server with a small reconciler for
 * Deployments and CloudNativePG clusters. Both listen on 127.0.0.1 only, run in simulated time and are meant for
 * tests that drive the real Azure SDK and Kubernetes client.
 */
package dev.cloudpg.testkit.azure;
