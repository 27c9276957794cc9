/**
 * API: the worker side. {@link io.jobprogress.publisher.JobProgressPublisher} publishes a job's progress
 * (over Redis with {@link io.jobprogress.publisher.RedisJobProgressPublisher}, or into a hub in the same
 * JVM), {@link io.jobprogress.publisher.JobHandle} is one job's progress reporter. Every other type is
 * package-private.
 */
package io.jobprogress.publisher;
