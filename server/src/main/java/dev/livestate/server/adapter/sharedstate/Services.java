package dev.livestate.server.adapter.sharedstate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livestate.room.RoomConfig;
import dev.livestate.server.store.StoreFactory;
import dev.livestate.store.Store;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage services of the shared-state surface, read from the original server's config file
 * format ({@code {"services": [{"name", "module", "config": {"db_type", ...}}]}}). Each service
 * is a room config: either the server's own durable or in-memory store, or a named store of its
 * own (a SQLite file, a MariaDB/MySQL or PostgreSQL database) built here.
 *
 * <p>Without a config file there are two services: {@code items} in the server's durable store
 * and {@code mitems} in memory.
 */
final class Services {
  private static final Logger LOG = LoggerFactory.getLogger(Services.class);
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");
  private static final Pattern NAME = Pattern.compile("[^/\\s]{1,100}");

  /** One service: its name and the config its collections' rooms are created with. */
  record Service(String name, RoomConfig roomConfig, String description) {}

  private final Map<String, Service> byName;
  private final Map<String, Store> stores;

  private Services(Map<String, Service> byName, Map<String, Store> stores) {
    this.byName = Collections.unmodifiableMap(byName);
    this.stores = Collections.unmodifiableMap(stores);
  }

  static Services defaults() {
    Map<String, Service> m = new LinkedHashMap<>();
    m.put("items", new Service("items", RoomConfig.DEFAULT, "the server's durable store"));
    m.put("mitems", new Service("mitems", RoomConfig.DEFAULT.withDurable(false), "in memory"));
    return new Services(m, Map.of());
  }

  /** Reads {@code file} (empty: the defaults) and opens the stores it names. */
  static Services load(String file, StoreFactory factory, ObjectMapper json) throws IOException {
    if (file.isEmpty()) {
      return defaults();
    }
    JsonNode root = json.readTree(Files.readString(Path.of(file)));
    if (root.has("service")) {
      LOG.info("sharedstate: ignoring service.host/port of {}: livestate serves every surface on"
          + " its own host and port", file);
    }
    JsonNode list = root.path("services");
    if (!list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException(file + ": \"services\" must be a non-empty list");
    }
    Map<String, Service> byName = new LinkedHashMap<>();
    Map<String, Store> stores = new LinkedHashMap<>();
    Map<String, String> storeByTarget = new LinkedHashMap<>();
    for (JsonNode s : list) {
      String name = s.path("name").asText("");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(file + ": a service needs a name without '/'");
      }
      String module = s.path("module").asText("items_service");
      if (!module.equals("items_service")) {
        throw new IllegalArgumentException(file + ": service " + name + ": module " + module
            + " is not supported (only items_service)");
      }
      if (byName.containsKey(name)) {
        throw new IllegalArgumentException(file + ": two services are named " + name);
      }
      Service service = service(name, s.path("config"), factory, stores, storeByTarget);
      byName.put(name, service);
      LOG.info("sharedstate: service {} on {}", name, service.description());
    }
    return new Services(byName, stores);
  }

  private static Service service(String name, JsonNode c, StoreFactory factory,
      Map<String, Store> stores, Map<String, String> storeByTarget) {
    String type = c.path("db_type").asText("sqlite");
    String db = c.path("db_name").asText(":memory:");
    String table = c.path("db_table").asText("items");
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("service " + name + ": db_table must be a plain SQL name");
    }
    String target;
    String user = c.path("db_user").asText("");
    String password = c.path("db_password").asText("");
    if (type.equals("sqlite")) {
      if (db.equals(":memory:") || db.isEmpty()) {
        return new Service(name, RoomConfig.DEFAULT.withDurable(false), "in memory");
      }
      Path dbFile = factory.dataDir().resolve(db).toAbsolutePath().normalize();
      if (factory.isOwn(dbFile)) {
        return new Service(name, RoomConfig.DEFAULT, "the server's durable store");
      }
      target = "sqlite:" + dbFile;
    } else if (type.equals("mysql") || type.equals("mariadb")) {
      target = url("jdbc:mariadb://", c, 3306, db, mariaSsl(c));
    } else if (type.equals("postgresql") || type.equals("postgres")) {
      target = url("jdbc:postgresql://", c, 5432, db, postgresSsl(c));
    } else {
      throw new IllegalArgumentException("service " + name + ": db_type must be sqlite, mysql or"
          + " postgresql, not " + type);
    }
    if (factory.isOwn(target, table + "_")) {
      // the very tables of the server's own durable store: share it, never open them twice
      return new Service(name, RoomConfig.DEFAULT, "the server's durable store");
    }
    String key = target + "|" + user + "|" + table;
    String storeName = storeByTarget.get(key);
    if (storeName == null) {
      storeName = "sharedstate/" + name;
      Store store;
      if (target.startsWith("sqlite:")) {
        try {
          store = factory.sqlite(Path.of(target.substring("sqlite:".length())));
        } catch (java.io.UncheckedIOException e) {
          throw new IllegalArgumentException("service " + name + ": " + e.getCause(), e);
        }
      } else {
        store = factory.database(target, user, password, table + "_");
      }
      stores.put(storeName, store);
      storeByTarget.put(key, storeName);
    }
    String shown = target.startsWith("sqlite:") ? target : target.replaceAll("\\?.*", "")
        + " tables " + table + "_*";
    return new Service(name, RoomConfig.DEFAULT.withStore(storeName), shown);
  }

  private static String url(String scheme, JsonNode c, int defaultPort, String db,
      List<String> params) {
    String host = c.path("db_host").asText("localhost");
    int port = c.path("db_port").asInt(defaultPort);
    if (!host.contains(":") || host.startsWith("[")) {
      host = host + ":" + port;
    }
    String u = scheme + host + "/" + db;
    return params.isEmpty() ? u : u + "?" + String.join("&", params);
  }

  private static boolean sslEnabled(JsonNode c) {
    return c.path("ssl.enabled").asBoolean(false) || c.path("ssl").path("enabled").asBoolean(false);
  }

  private static String ssl(JsonNode c, String key) {
    JsonNode v = c.has("ssl." + key) ? c.get("ssl." + key) : c.path("ssl").path(key);
    return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static List<String> mariaSsl(JsonNode c) {
    List<String> p = new ArrayList<>();
    if (!sslEnabled(c)) {
      return p;
    }
    String ca = ssl(c, "ca");
    p.add("sslMode=" + (ca == null ? "trust" : "verify-full"));
    if (ca != null) {
      p.add("serverSslCert=" + enc(ca));
    }
    if (ssl(c, "cert") != null || ssl(c, "key") != null) {
      LOG.warn("sharedstate: ssl.cert/ssl.key are not used with MariaDB/MySQL (client"
          + " certificates need a keystore); the connection is encrypted and the server verified");
    }
    return p;
  }

  private static List<String> postgresSsl(JsonNode c) {
    List<String> p = new ArrayList<>();
    if (!sslEnabled(c)) {
      return p;
    }
    String ca = ssl(c, "ca");
    p.add("sslmode=" + (ca == null ? "require" : "verify-full"));
    if (ca != null) {
      p.add("sslrootcert=" + enc(ca));
    }
    if (ssl(c, "cert") != null) {
      p.add("sslcert=" + enc(ssl(c, "cert")));
    }
    if (ssl(c, "key") != null) {
      p.add("sslkey=" + enc(ssl(c, "key")));
    }
    return p;
  }

  /** The service of that name, or null. */
  Service get(String name) {
    return byName.get(name);
  }

  List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The named stores the services need, for the engine. */
  Map<String, Store> stores() {
    return stores;
  }
}
