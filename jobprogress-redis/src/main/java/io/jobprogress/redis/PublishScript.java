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
 *   <li>returns the earlier result when this call was already applied (a retry whose first try ran but whose
 *       reply was lost: the event is applied at most once; see "Applied-call marks" below), and refuses a
 *       late copy of a call its sender has since moved past;
 *   <li>refuses a non-terminal update after a terminal one;
 *   <li>creates the epoch when the job's meta hash is new (or was lost) and assigns the next seq;
 *   <li>writes the snapshot with TTL and appends to the capped history stream;
 *   <li>adds the job to its user's index of recent jobs, or refreshes its update time there, and refreshes
 *       the index's TTL; only when the job joins the index (ZADD added it) are the index's oldest entries
 *       beyond the cap and its entries older than the TTL removed (see {@link #userIndex});
 *   <li>PUBLISHes the payload ({@link EnvelopeCodec}) on the job's channel.
 * </ol>
 * On a Redis Cluster ({@link #CLUSTER_LUA}) step 5 moves to a second script on the user's slot, run right
 * after ({@link #INDEX_LUA}), and step 6 is an {@code SPUBLISH}; see {@link RedisPublisher}.
 * Redis runs scripts one at a time, so concurrent publishers cannot make the snapshot go back.
 *
 * <p><b>Applied-call marks.</b> Every call comes from a <em>mark stream</em> ({@link MarkStream}): one
 * sender that sends its calls one batch at a time, in order, and retries a batch whole until it is settled
 * (stored, refused or given up) before it sends the next. Each call carries its stream's next counter and a
 * slot: its position among the calls of the same job in its batch (0 for a synchronous call). The script
 * keeps, in the job's meta hash, one field per stream and slot, {@code m<stream>.<slot>}, holding
 * {@code <counter>:<seq>} of the last call applied there. A call whose field holds its own counter was
 * applied: the script answers {@code [DUPLICATE, seq, epoch]} and changes nothing. A field holding a larger
 * counter means the stream has sent a later batch, so this call was settled: a late copy (a dead
 * connection's pipeline that Redis runs after the retry) is refused with {@code [SUPERSEDED]} and changes
 * nothing. No caller waits for that reply; the copy neither applies twice nor goes back in time.
 * This replaces a key per event ({@code GET} and {@code SET ... EX} of {@code ev:<id>}): the mark is read by
 * the {@code HMGET} that reads the job's state and written by the {@code HSET} that writes its seq, two
 * calls fewer per publish. Fields per job are bounded by the streams that published to it (the synchronous
 * calls' streams are pooled, as many as calls ran at once) times the slots ({@link MarkStream#SLOTS}); they
 * expire with the meta hash.
 *
 * <p>Run with EVALSHA; on NOSCRIPT (after a restart or {@code SCRIPT FLUSH}) once with EVAL, which also
 * caches it again. Thread-safe.
 */
final class PublishScript {
  /** First element of the reply when the update was refused; the second is the stored terminal status. */
  static final long STALE = -1;
  /** First element of the reply when the call was applied before: {@code [-2, seq, epoch]}. */
  static final long DUPLICATE = -2;
  /** The whole reply to a late copy of a call its stream has moved past: {@code [-3]}. */
  static final long SUPERSEDED = -3;

  private static final String USER_INDEX_MARK = "--user index--";

  // KEYS: meta, snap, hist, user index (not in cluster mode).
  // ARGV: head, tail, channel, terminal status or '', new epoch, ttl s, maxlen, mark field,
  //       update time ms, job id, user index cap, mark counter.
  private static final List<String> LINES = List.of(
      "local st = redis.call('HMGET', KEYS[1], 'epoch', 'term', 'seq', ARGV[8])",
      "if st[4] then",
      "  local sep = string.find(st[4], ':', 1, true)",
      "  local applied = tonumber(string.sub(st[4], 1, sep - 1))",
      "  local mine = tonumber(ARGV[12])",
      "  if applied == mine then return {-2, tonumber(string.sub(st[4], sep + 1)), st[1]} end",
      "  if applied > mine then return {-3} end",
      "end",
      "if st[2] and ARGV[4] == '' then return {-1, st[2]} end",
      "local epoch = st[1]",
      "local seq = (tonumber(st[3]) or 0) + 1",
      "local meta = {'seq', seq, ARGV[8], ARGV[12] .. ':' .. seq}",
      "if not epoch then",
      "  epoch = ARGV[5]",
      "  redis.call('DEL', KEYS[3])",
      "  meta[#meta + 1] = 'epoch'",
      "  meta[#meta + 1] = epoch",
      "end",
      "if ARGV[4] ~= '' then",
      "  meta[#meta + 1] = 'term'",
      "  meta[#meta + 1] = ARGV[4]",
      "end",
      "redis.call('HSET', KEYS[1], unpack(meta))",
      "local payload = ARGV[1] .. seq .. ',\"epoch\":\"' .. epoch .. ARGV[2]",
      "redis.call('SET', KEYS[2], payload, 'EX', ARGV[6])",
      "redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', 'e', payload)",
      "redis.call('EXPIRE', KEYS[3], ARGV[6])",
      "redis.call('EXPIRE', KEYS[1], ARGV[6])",
      USER_INDEX_MARK,
      "redis.call('PUBLISH', ARGV[3], payload)",
      "return {seq, epoch}");

  /** The single-node script: everything above, the user index included, one atomic round trip. */
  static final String LUA = String.join("\n", LINES.stream()
      .flatMap(l -> l.equals(USER_INDEX_MARK) ? userIndex("KEYS[4]", "ARGV[9]", "ARGV[10]", "ARGV[11]", "ARGV[6]")
          : java.util.stream.Stream.of(l)).toList());

  /**
   * The cluster script: the same without the user index (its key lives in the user's slot, and every key of
   * one script must share a slot) and with {@code SPUBLISH}, so the event goes to the job's shard only.
   * The channel {@code job:J} hashes like the keys' tag <code>{job:J}</code>, so it is in the script's slot.
   */
  static final String CLUSTER_LUA = String.join("\n", LINES.stream()
      .filter(l -> !l.equals(USER_INDEX_MARK))
      .map(l -> l.replace("redis.call('PUBLISH'", "redis.call('SPUBLISH'")).toList());

  /**
   * Cluster mode's second step, run after {@link #CLUSTER_LUA} on the user's own slot: the same user index
   * update. KEYS: user index. ARGV: update time ms, job id, cap, ttl s. Idempotent, so it is retried
   * together with the (equally idempotent) publish script: a repeat finds the member already there with the
   * same score, so its ZADD adds nothing and it only refreshes the TTL; the trimming, if any, was done by
   * the run that added the member.
   */
  static final String INDEX_LUA = String.join("\n", userIndex("KEYS[1]", "ARGV[1]", "ARGV[2]", "ARGV[3]", "ARGV[4]").toList());

  /**
   * The user index update, in Lua: {@code job} gets score {@code time} in the sorted set {@code key}, whose
   * TTL is set to {@code ttl} s. Only when the ZADD added the member (it returns 1: the job joins its
   * user's index) are the entries beyond the newest {@code cap} removed (ZREMRANGEBYRANK) and those older
   * than {@code time} minus the TTL (ZREMRANGEBYSCORE); an update of an indexed job runs two calls, not
   * four. This keeps the same guarantees:
   * <ul>
   *   <li>the index holds at most {@code cap} jobs: only an added member can push it past the cap, and the
   *       run that adds it trims it back (a lowered {@link RedisSettings#userJobsMax()} applies to a user
   *       when a job next joins their index);
   *   <li>entries older than the TTL (their jobs' snapshots expired) stay until a job joins, or until the
   *       whole key expires once the user has had no update for the TTL; they are within the cap, and
   *       harmless: {@link RedisSnapshotStore#recentJobsOf} skips jobs whose snapshot is gone.
   * </ul>
   */
  private static java.util.stream.Stream<String> userIndex(String key, String time, String job, String cap, String ttl) {
    return java.util.stream.Stream.of(
        "if redis.call('ZADD', " + key + ", " + time + ", " + job + ") == 1 then",
        "  redis.call('ZREMRANGEBYRANK', " + key + ", 0, -(tonumber(" + cap + ") + 1))",
        "  redis.call('ZREMRANGEBYSCORE', " + key + ", '-inf', '(' .. (tonumber(" + time + ") - 1000 * tonumber(" + ttl + ")))",
        "end",
        "redis.call('EXPIRE', " + key + ", " + ttl + ")");
  }

  private final String lua;
  private final String sha;
  private final String indexSha = sha1(INDEX_LUA);

  private final AtomicLong loads = new AtomicLong();

  /** The single-node script, or ({@code cluster}) the cluster script. */
  PublishScript(boolean cluster) {
    this.lua = cluster ? CLUSTER_LUA : LUA;
    this.sha = sha1(lua);
  }

  /**
   * Runs the script; returns the raw reply: {@code [seq, epoch]}, {@code [STALE, status]},
   * {@code [DUPLICATE, seq, epoch]} or {@code [SUPERSEDED]}.
   */
  List<?> run(UnifiedJedis client, List<String> keys, List<String> args) {
    return (List<?>) run(client, sha, lua, keys, args);
  }

  /** Cluster mode: runs {@link #INDEX_LUA} on the user's index key. */
  void runIndex(UnifiedJedis client, List<String> keys, List<String> args) {
    run(client, indexSha, INDEX_LUA, keys, args);
  }

  private Object run(UnifiedJedis client, String scriptSha, String script, List<String> keys, List<String> args) {
    try {
      return client.evalsha(scriptSha, keys, args);
    } catch (JedisNoScriptException e) {
      loads.incrementAndGet();
      return client.eval(script, keys, args);
    }
  }

  /** The script's SHA-1, for EVALSHA. */
  String sha() {
    return sha;
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
