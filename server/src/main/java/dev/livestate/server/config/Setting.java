package dev.livestate.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration setting: its key, default, description and parser. The same key is read
 * from the config file ({@code "data-dir": "..."}), the environment ({@code LIVESTATE_DATA_DIR})
 * and the command line ({@code --data-dir}); later sources win.
 */
public record Setting<T>(String key, String defaultText, String description,
    Function<String, T> parser, boolean secret) {

  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parser, "parser");
  }

  public Setting(String key, String defaultText, String description, Function<String, T> parser) {
    this(key, defaultText, description, parser, false);
  }

  /** This setting holding a secret: {@code --print-config} shows only whether it is set. */
  public Setting<T> asSecret() {
    return new Setting<>(key, defaultText, description, parser, true);
  }

  public String env() {
    return "LIVESTATE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public String flag() {
    return "--" + key.replace('.', '-');
  }

  public T parse(String text) {
    try {
      return parser.apply(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "invalid value '" + text + "' for " + key + ": " + e.getMessage(), e);
    }
  }

  public static Setting<String> string(String key, String def, String description) {
    return new Setting<>(key, def, description, s -> s);
  }

  public static Setting<Integer> integer(String key, int def, String description) {
    return new Setting<>(key, Integer.toString(def), description, Integer::parseInt);
  }

  public static Setting<Boolean> bool(String key, boolean def, String description) {
    return new Setting<>(key, Boolean.toString(def), description, s -> {
      if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException("expected true or false");
      }
      return Boolean.parseBoolean(s);
    });
  }

  /**
   * One of a closed set, spelled as its constant in lower case with {@code -} for {@code _}
   * ({@code STARTTLS} is {@code starttls}); anything else is refused naming the allowed values.
   */
  public static <E extends Enum<E>> Setting<E> choice(String key, E def, String description) {
    @SuppressWarnings("unchecked")
    Class<E> type = (Class<E>) def.getDeclaringClass();
    return new Setting<>(key, spelling(def), description, s -> {
      for (E e : type.getEnumConstants()) {
        if (spelling(e).equals(s.trim())) {
          return e;
        }
      }
      throw new IllegalArgumentException("expected one of " + String.join(", ",
          java.util.Arrays.stream(type.getEnumConstants()).map(Setting::spelling).toList()));
    });
  }

  /** How a setting spells an enum constant. */
  public static String spelling(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A byte count: {@code 1048576}, {@code 512k}, {@code 2m}, {@code 1g}. */
  public static Setting<Long> bytes(String key, String def, String description) {
    return new Setting<>(key, def, description, Setting::parseBytes);
  }

  /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
  public static Setting<Duration> duration(String key, String def, String description) {
    return new Setting<>(key, def, description, Setting::parseDuration);
  }

  public static long parseBytes(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
    switch (last) {
      case 'k' -> unit = 1024;
      case 'm' -> unit = 1024 * 1024;
      case 'g' -> unit = 1024L * 1024 * 1024;
      default -> { }
    }
    if (unit != 1) {
      t = t.substring(0, t.length() - 1);
    }
    long n = Long.parseLong(t.trim()) * unit;
    if (n < 0) {
      throw new IllegalArgumentException("must not be negative");
    }
    return n;
  }

  public static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      case 'd' -> Duration.ofDays(n);
      default -> throw new IllegalArgumentException("expected a unit: ms, s, m, h or d");
    };
  }
}
