/**
 * API: JWT verification, the default {@link io.jobprogress.core.TokenVerifier}.
 * {@link io.jobprogress.core.jwt.JwtTokenVerifier} checks HS*, RS*, PS*, ES* and EdDSA tokens from a secret,
 * a public key or a JWKS URL with nimbus-jose-jwt, and is configured by its builder or by
 * {@link io.jobprogress.core.jwt.JwtTokenVerifier#from(io.jobprogress.core.ConfigSource)} ({@code JWT_*}).
 * It is the only part of jobprogress-core that needs nimbus-jose-jwt: a host that brings its own
 * {@code TokenVerifier} does not use this package. Its helpers live in
 * {@code io.jobprogress.core.jwt.internal} (no compatibility promise).
 */
package io.jobprogress.core.jwt;
