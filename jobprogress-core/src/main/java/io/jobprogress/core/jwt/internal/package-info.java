/**
 * Internal: no compatibility promise. Helpers of jobprogress-core's JWT verification (PEM and JWK key
 * reading, the JDK Ed25519 verifier, strict claim checks, key-like secret detection). Types here are
 * public only so the core package can use them; they may change or vanish in any release. Other modules
 * never import this package, and a test ({@code InternalPackagesTest}) fails the build if one does.
 */
package io.jobprogress.core.jwt.internal;
