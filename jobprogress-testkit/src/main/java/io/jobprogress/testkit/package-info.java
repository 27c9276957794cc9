/**
 * API for tests: the compatibility suites a {@link io.jobprogress.core.Broadcaster} or
 * {@link io.jobprogress.core.SnapshotStore} implementation extends to prove it keeps the contract
 * ({@link io.jobprogress.testkit.BroadcasterContractTest},
 * {@link io.jobprogress.testkit.SnapshotStoreContractTest}). Put this jar on the test classpath only.
 */
package io.jobprogress.testkit;
