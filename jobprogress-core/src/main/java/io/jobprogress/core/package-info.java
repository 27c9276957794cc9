/**
 * The hub and its contracts, with no container and no Redis.
 *
 * <p><b>API</b> (what a host calls): {@link io.jobprogress.core.JobProgressHub} and its
 * {@link io.jobprogress.core.HubSession}s, {@link io.jobprogress.core.HubSettings}, its read-only
 * {@link io.jobprogress.core.HubStats} (with {@link io.jobprogress.core.RegistryStats}), the event model
 * ({@link io.jobprogress.core.ProgressEvent}, {@link io.jobprogress.core.JobStatus}), the catalogues
 * {@link io.jobprogress.core.ErrorCode} and {@link io.jobprogress.core.CloseReason}, the JWT verifier
 * {@link io.jobprogress.core.jwt.JwtTokenVerifier}, {@link io.jobprogress.core.AuthenticatedUser},
 * {@link io.jobprogress.core.TokenRejectedException}, the in-memory defaults
 * {@link io.jobprogress.core.InMemoryBroadcaster} and {@link io.jobprogress.core.InMemorySnapshotStore},
 * {@link io.jobprogress.core.ProgressFrames} (the {@code progress} frame and timestamp format, so every
 * transport writes the same bytes), {@link io.jobprogress.core.Ids} and {@link io.jobprogress.core.TokenBucket}.
 *
 * <p><b>SPI</b> (what a host or transport implements): {@link io.jobprogress.core.Broadcaster} (found
 * through {@link io.jobprogress.core.BroadcasterFactory}), {@link io.jobprogress.core.SnapshotStore},
 * {@link io.jobprogress.core.TokenVerifier}, {@link io.jobprogress.core.JobAuthorizer} and, for a
 * transport, {@link io.jobprogress.core.ClientConnection} with the {@link io.jobprogress.core.OutboundFrame}s
 * it sends. The jobprogress-testkit artifact holds the suites a Broadcaster or SnapshotStore runs.
 *
 * <p>Everything else is package-private: the protocol codec ({@code ProtocolCodec}, {@code ClientFrame}),
 * the connection registry, the per-connection outbox and the token timers. {@code io.jobprogress.core.jwt.internal}
 * has no compatibility promise.
 */
package io.jobprogress.core;
