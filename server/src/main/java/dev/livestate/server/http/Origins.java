package dev.livestate.server.http;

import dev.livestate.server.config.Setting;
import dev.livestate.server.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The web pages that may use one surface: the browser origins ({@code scheme://host[:port]})
 * whose WebSocket upgrades and cross-origin HTTP requests it accepts. A browser adds the
 * {@code Origin} header itself and a page's script cannot change it, so it tells a page the
 * operator meant from any page the user happens to open. A request without one comes from no
 * page (a script, a server, an app) and is always accepted. Immutable.
 *
 * <p>Spelled as a comma-separated list of: {@code *} (any page), {@code same-origin} (a page
 * this server served: the origin's host and port are the request's {@code Host}),
 * {@code localhost} (a page from this machine: localhost, *.localhost, 127.x.x.x or [::1], any
 * port), {@code none} (no page), or an exact origin such as {@code https://app.example.org}.
 * Only exact origins may send credentials: a page's cookies are never allowed along with an
 * origin that was merely echoed.
 */
public final class Origins {
  private final String setting;
  private final String spelled;
  private final boolean any;
  private final boolean sameOrigin;
  private final boolean localhost;
  /** Exact origins, in lower case. */
  private final Set<String> listed;

  private Origins(String setting, String spelled, boolean any, boolean sameOrigin,
      boolean localhost, Set<String> listed) {
    this.setting = setting;
    this.spelled = spelled;
    this.any = any;
    this.sameOrigin = sameOrigin;
    this.localhost = localhost;
    this.listed = Set.copyOf(listed);
  }

  /**
   * The setting {@code <surface>.origins} of a compatibility surface, any page by default:
   * the pages that may use {@code what}; {@code any} says what {@code *} means there, and
   * {@code example} is an origin its clients have.
   */
  public static Setting<String> setting(String surface, String what, String any,
      String example) {
    return Setting.string(surface + ".origins", "*", "Pages (browser origins) that may use "
        + what + ": * (" + any + "), none, or a list of same-origin, localhost and origins like "
        + example);
  }

  /**
   * The policy spelled {@code text}, for messages named after {@code setting}.
   *
   * @throws IllegalArgumentException an entry that is neither a keyword nor an origin
   */
  public static Origins parse(String setting, String text) {
    boolean any = false;
    boolean sameOrigin = false;
    boolean localhost = false;
    boolean none = false;
    Set<String> listed = new LinkedHashSet<>();
    List<String> entries = new ArrayList<>();
    for (String raw : text.split(",")) {
      String e = raw.trim().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      entries.add(e);
      switch (e) {
        case "*" -> any = true;
        case "same-origin" -> sameOrigin = true;
        case "localhost" -> localhost = true;
        case "none" -> none = true;
        default -> listed.add(origin(setting, e));
      }
    }
    if (entries.isEmpty() || none && entries.size() > 1) {
      throw new IllegalArgumentException(setting + ": give *, none, or a list of same-origin,"
          + " localhost and origins such as https://app.example.org");
    }
    return new Origins(setting, String.join(", ", entries), any, sameOrigin, localhost, listed);
  }

  /**
   * The policy of {@code own}, or, where {@code own} was not given, of the first of
   * {@code standIns} that was (older settings that also set it); else {@code own}'s default.
   */
  @SafeVarargs
  public static Origins from(Settings settings, Setting<String> own,
      Setting<String>... standIns) {
    return parse(own.key(), spelled(settings, own, standIns));
  }

  /** The text {@link #from} parses: for a setting with a value of its own to resolve first. */
  @SafeVarargs
  public static String spelled(Settings settings, Setting<String> own,
      Setting<String>... standIns) {
    if (!settings.given(own)) {
      for (Setting<String> s : standIns) {
        if (settings.given(s)) {
          return settings.get(s);
        }
      }
    }
    return settings.get(own);
  }

  private static String origin(String setting, String entry) {
    String e = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
    int scheme = e.indexOf("://");
    if (scheme <= 0 || e.length() == scheme + 3 || e.indexOf('/', scheme + 3) >= 0) {
      throw new IllegalArgumentException(setting + ": '" + entry + "' is not an origin"
          + " (scheme://host[:port], such as https://app.example.org)");
    }
    return e;
  }

  /**
   * Whether a request with {@code origin} (null: none) and {@code host} (its {@code Host}
   * header, null: none) may use the surface.
   */
  public boolean allows(String origin, String host) {
    if (origin == null || any) {
      return true;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    return listed.contains(o) || localhost && fromLoopback(o)
        || sameOrigin && host != null && host.toLowerCase(Locale.ROOT).equals(authority(o));
  }

  /** Whether {@code origin} is one the operator named: only such a page may send credentials. */
  public boolean listed(String origin) {
    return origin != null && listed.contains(origin.toLowerCase(Locale.ROOT));
  }

  /** Whether every page may use the surface. */
  public boolean any() {
    return any;
  }

  /** What a refused page is told. */
  public String refusal(String origin) {
    return "pages from origin " + origin + " may not use this endpoint (setting " + setting
        + " is '" + spelled + "')";
  }

  @Override
  public String toString() {
    return spelled;
  }

  /** The host and port of an origin, as a {@code Host} header spells them. */
  private static String authority(String origin) {
    int scheme = origin.indexOf("://");
    return scheme < 0 ? null : origin.substring(scheme + 3);
  }

  private static boolean fromLoopback(String origin) {
    String authority = authority(origin);
    if (authority == null) {
      return false;
    }
    String host;
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      host = end < 0 ? authority : authority.substring(0, end + 1);
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
    }
    return host.equals("localhost") || host.endsWith(".localhost") || host.equals("[::1]")
        || host.startsWith("127.") && host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }
}
