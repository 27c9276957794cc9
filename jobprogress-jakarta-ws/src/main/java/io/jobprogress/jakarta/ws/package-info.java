/**
 * API: the WebSocket transports of a {@link io.jobprogress.core.JobProgressHub}: Jakarta WebSocket (any
 * container) and Jetty 12's WebSocket core ({@link io.jobprogress.jakarta.ws.JettyWebSocketHandler}, no
 * Jakarta layer, loaded only when used), with one set of rules.
 * {@link io.jobprogress.jakarta.ws.JobProgressWebSocket} (explicit wiring: the endpoint config and its
 * lifecycle), {@link io.jobprogress.jakarta.ws.JobProgressEndpoint}, the WAR route
 * {@link io.jobprogress.jakarta.ws.JobProgressInitializer} / {@link io.jobprogress.jakarta.ws.ServletDeployment},
 * the optional servlets and filters ({@link io.jobprogress.jakarta.ws.JobPollingServlet},
 * {@link io.jobprogress.jakarta.ws.StatsServlet}, {@link io.jobprogress.jakarta.ws.HandshakeAuthFilter},
 * {@link io.jobprogress.jakarta.ws.HandshakeRateFilter}), the SPI {@link io.jobprogress.jakarta.ws.StatsGuard}
 * and {@link io.jobprogress.jakarta.ws.TransportMetrics}. Every other type is package-private.
 */
package io.jobprogress.jakarta.ws;
