package dev.livestate.server.cluster;

import dev.livestate.cluster.Leases;
import dev.livestate.engine.Reply;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link Leases} on Redis. A room's lease is the key {@code <prefix>lease:<room>} holding
 * "node generation incarnation", set only when absent or held by an earlier process of this
 * node (the {@code SET NX PX} of decision 015, decided inside one script) and expiring with its
 * time to live; the generation comes from the counter {@code <prefix>gen:<room>},
 * incremented in the same script as the key is set, so no two holdings share one and a later
 * holding always has a larger one. The counter outlives the lease: it is what makes generations
 * grow for as long as the Redis data lives. Renewal and release compare the holding first, in a
 * script too, so a node never extends or drops another node's lease. The incarnation is drawn
 * anew by each process: a node started again under its name takes its rooms back at once, with
 * a new generation, so the process it replaces is fenced should it still be running.
 */
public final class RedisLeases implements Leases {
  private static final String ACQUIRE = """
      local held = redis.call('GET', KEYS[1])
      if held then
        local node, incarnation = string.match(held, '^(%S+) %d+ (%S+)$')
        if node ~= ARGV[1] then
          return held
        end
        if incarnation == ARGV[3] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return held
        end
      end
      local generation = redis.call('INCR', KEYS[2])
      held = ARGV[1] .. ' ' .. generation .. ' ' .. ARGV[3]
      redis.call('SET', KEYS[1], held, 'PX', ARGV[2])
      return held
      """;
  private static final String RENEW = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0
      """;
  private static final String RAISE = """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return false
      end
      local generation = redis.call('INCR', KEYS[2])
      if generation <= tonumber(ARGV[3]) then
        generation = tonumber(ARGV[3]) + 1
        redis.call('SET', KEYS[2], generation)
      end
      local held = ARGV[2] .. ' ' .. generation .. ' ' .. ARGV[4]
      redis.call('SET', KEYS[1], held, 'KEEPTTL')
      return held
      """;
  private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """;

  /** Every lease of the cluster, as key, holding, key, holding…: for the operator's view. */
  private static final String ALL = """
      local found = {}
      local cursor = '0'
      repeat
        local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
        cursor = page[1]
        for _, key in ipairs(page[2]) do
          local held = redis.call('GET', key)
          if held then
            table.insert(found, key)
            table.insert(found, held)
          end
        end
      until cursor == '0'
      return found
      """;

  private final String node;
  private final String incarnation = Long.toHexString(new SecureRandom().nextLong());
  private final String prefix;
  private final RedisLink commands;

  public RedisLeases(Vertx vertx, Redis client, String prefix, String node) {
    if (node.isEmpty() || node.contains(" ") || node.contains("\n")) {
      throw new IllegalArgumentException("a node name has no spaces or newlines: '" + node + "'");
    }
    this.node = node;
    this.prefix = prefix;
    this.commands = new RedisLink(vertx, client, node + " leases", r -> { }, () -> { });
  }

  @Override
  public String node() {
    return node;
  }

  private String leaseKey(String room) {
    return prefix + "lease:" + room;
  }

  private Request script(String script, String room, String... args) {
    Request r = Request.cmd(Command.EVAL).arg(script).arg(2).arg(leaseKey(room))
        .arg(prefix + "gen:" + room);
    for (String a : args) {
      r.arg(a);
    }
    return r;
  }

  /** A lease of this process as its key holds it. */
  private String held(Lease lease) {
    return lease.node() + " " + lease.generation() + " " + incarnation;
  }

  private static Lease lease(String room, Response held) {
    if (held == null) {
      return null;
    }
    String[] words = held.toString().split(" ");
    return new Lease(room, words[0], Long.parseLong(words[1]));
  }

  @Override
  public void acquire(String room, Duration ttl, Reply<Lease> holder) {
    Request acquire = script(ACQUIRE, room, node, Long.toString(ttl.toMillis()), incarnation);
    RedisBus.answer(commands.send(acquire), r -> lease(room, r), holder);
  }

  @Override
  public void renew(Lease lease, Duration ttl, Reply<Boolean> renewed) {
    RedisBus.answer(commands.send(script(RENEW, lease.room(), held(lease),
        Long.toString(ttl.toMillis()))), r -> r.toInteger() == 1, renewed);
  }

  @Override
  public void raise(Lease lease, long stored, Reply<Lease> raised) {
    RedisBus.answer(commands.send(script(RAISE, lease.room(), held(lease), node,
        Long.toString(stored), incarnation)), r -> lease(lease.room(), r), raised);
  }

  @Override
  public void release(Lease lease, Reply<Void> done) {
    RedisBus.answer(commands.send(script(RELEASE, lease.room(), held(lease))), r -> null, done);
  }

  @Override
  public void holder(String room, Reply<Lease> holder) {
    RedisBus.answer(commands.send(Request.cmd(Command.GET).arg(leaseKey(room))),
        r -> lease(room, r), holder);
  }

  /** The rooms each node holds now, by node; each list in name order. */
  public void held(Reply<Map<String, List<String>>> rooms) {
    String leasePrefix = prefix + "lease:";
    RedisBus.answer(commands.send(Request.cmd(Command.EVAL).arg(ALL).arg(0)
        .arg(leasePrefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*")), r -> {
          Map<String, List<String>> byNode = new TreeMap<>();
          for (int i = 0; i + 1 < r.size(); i += 2) {
            String room = r.get(i).toString().substring(leasePrefix.length());
            Lease lease = lease(room, r.get(i + 1));
            byNode.computeIfAbsent(lease.node(), n -> new ArrayList<>()).add(room);
          }
          byNode.values().forEach(l -> l.sort(null));
          return byNode;
        }, rooms);
  }

  /** Whether its connection to Redis is up. */
  public boolean connected() {
    return commands.up();
  }

  @Override
  public void close() {
    commands.close();
  }
}
