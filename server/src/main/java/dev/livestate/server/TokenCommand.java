package dev.livestate.server;

import dev.livestate.access.Grant;
import dev.livestate.room.Role;
import dev.livestate.server.auth.AuthConfig;
import dev.livestate.server.auth.TokenMinter;
import dev.livestate.server.config.Setting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code livestate token --sub NAME [--room PATTERN]... [--role R] [--priority N] [--ttl D]
 * [--admin]}: prints a development token signed with the server's HMAC secret (from
 * {@code --auth-hmac-secret}, {@code LIVESTATE_AUTH_HMAC_SECRET} or {@code --config}).
 */
final class TokenCommand {
  static final String USAGE = "usage: livestate token --sub NAME [--room PATTERN]... [--role"
      + " reader|writer|leader] [--priority N] [--ttl 1h] [--admin] [--auth-hmac-secret S]\n";

  private TokenCommand() {}

  /** Returns the exit status; prints the token (or why not). */
  static int run(List<String> args, Map<String, String> env) {
    String subject = null;
    List<String> rooms = new ArrayList<>();
    Role role = Role.WRITER;
    int priority = 0;
    Duration ttl = Duration.ofHours(1);
    boolean admin = false;
    List<String> settings = new ArrayList<>();
    try {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "--sub" -> subject = value(args, ++i, a);
          case "--room" -> rooms.add(value(args, ++i, a));
          case "--role" -> role = Role.valueOf(value(args, ++i, a).toUpperCase(Locale.ROOT));
          case "--priority" -> priority = Integer.parseInt(value(args, ++i, a));
          case "--ttl" -> ttl = Setting.parseDuration(value(args, ++i, a));
          case "--admin" -> admin = true;
          default -> settings.add(a);
        }
      }
      if (subject == null || subject.isEmpty()) {
        throw new IllegalArgumentException("--sub is required");
      }
      String secret = config(settings, env).hmacSecret();
      if (secret.isEmpty()) {
        throw new IllegalArgumentException("no HMAC secret: pass --auth-hmac-secret (or set"
            + " LIVESTATE_AUTH_HMAC_SECRET) as the server has it");
      }
      List<Grant> grants = new ArrayList<>();
      for (String r : rooms) {
        grants.add(new Grant(r, role, priority));
      }
      System.out.println(new TokenMinter(secret).mint(subject, grants, admin, null,
          Instant.now().plus(ttl)));
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("livestate token: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    }
  }

  private static AuthConfig config(List<String> args, Map<String, String> env) {
    return AuthConfig.from(dev.livestate.server.config.Settings.load(
        LivestateServer.allSettings(), args.toArray(String[]::new), env));
  }

  private static String value(List<String> args, int i, String flag) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args.get(i);
  }
}
