package io.jobprogress.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The one-round-trip publish, run by {@link RedisPublisher}: a Lua script that
 * <ol>
 *   <li>returns the earlier result when this event id was already applied (a retry whose first try ran
 *       but whose reply was lost: the event is applied at most once);
 *   <li>refuses a non-terminal update after a terminal one;
 *   <li>creates the epoch when the job's meta hash is new (or was lost) and assigns the next seq;
 *   <li>writes the snapshot with TTL and appends to the capped history stream;
 *   <li>remembers the event id with its seq and epoch for a short while;
 *   <li>adds the job to its user's index of recent jobs (sorted by update time, capped, with TTL);
 *   <li>PUBLISHes the payload ({@link EnvelopeCodec}) on the job's channel.
 * </ol>
 * Redis runs scripts one at a time, so concurrent publishers cannot make the snapshot go back.
 *
 * <p>Run with EVALSHA; on NOSCRIPT (after a restart or {@code SCRIPT FLUSH}) once with EVAL, which also
 * caches it again. Thread-safe.
 */
final class PublishScript {
  /** First element of the reply when the update was refused; the second is the stored terminal status. */
  static final long STALE = -1;
  /** First element of the reply when the event id was applied before: {@code [-2, seq, epoch]}. */
  static final long DUPLICATE = -2;

  // KEYS: meta, snap, hist, event-id marker, user index.
  // ARGV: head, tail, channel, terminal status or '', new epoch, ttl s, maxlen, marker ttl s,
  //       update time ms, job id, user index cap.
  static final String LUA = String.join("\n",
      "local done = redis.call('GET', KEYS[4])",
      "if done then",
      "  local sep = string.find(done, ':', 1, true)",
      "  return {-2, tonumber(string.sub(done, 1, sep - 1)), string.sub(done, sep + 1)}",
      "end",
      "local st = redis.call('HMGET', KEYS[1], 'epoch', 'term')",
      "if st[2] and ARGV[4] == '' then return {-1, st[2]} end",
      "local epoch = st[1]",
      "if not epoch then",
      "  epoch = ARGV[5]",
      "  redis.call('DEL', KEYS[3])",
      "  redis.call('HSET', KEYS[1], 'epoch', epoch)",
      "end",
      "local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)",
      "if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'term', ARGV[4]) end",
      "local payload = ARGV[1] .. seq .. ',\"epoch\":\"' .. epoch .. ARGV[2]",
      "redis.call('SET', KEYS[2], payload, 'EX', ARGV[6])",
      "redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', 'e', payload)",
      "redis.call('EXPIRE', KEYS[3], ARGV[6])",
      "redis.call('EXPIRE', KEYS[1], ARGV[6])",
      "redis.call('SET', KEYS[4], seq .. ':' .. epoch, 'EX', ARGV[8])",
      "redis.call('ZADD', KEYS[5], ARGV[9], ARGV[10])",
      "redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -(tonumber(ARGV[11]) + 1))",
      "redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', '(' .. (tonumber(ARGV[9]) - 1000 * tonumber(ARGV[6])))",
      "redis.call('EXPIRE', KEYS[5], ARGV[6])",
      "redis.call('PUBLISH', ARGV[3], payload)",
      "return {seq, epoch}");

  private static final String SHA = sha1(LUA);

  private final AtomicLong loads = new AtomicLong();

  /** Runs the script; returns the raw reply ({@code [seq, epoch]} or {@code [-1, status]}). */
  List<?> run(UnifiedJedis client, List<String> keys, List<String> args) {
    Object reply;
    try {
      reply = client.evalsha(SHA, keys, args);
    } catch (JedisNoScriptException e) {
      loads.incrementAndGet();
      reply = client.eval(LUA, keys, args);
    }
    return (List<?>) reply;
  }

  /** The script's SHA-1, for EVALSHA. */
  String sha() {
    return SHA;
  }

  /** How often the script had to be sent in full (NOSCRIPT). */
  long loads() {
    return loads.get();
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("redis: SHA-1 unavailable", e);
    }
  }
}
