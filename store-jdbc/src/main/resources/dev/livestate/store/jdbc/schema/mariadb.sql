-- livestate store schema, MariaDB / MySQL. ${prefix} is the store's table prefix.
-- Every statement is idempotent: the store runs this file each time it opens.
-- ${collation} is a binary, NO PAD utf8mb4 collation where the server has one, so that room
-- names and keys differing in case or trailing spaces stay distinct keys.
-- Key columns are VARCHAR because InnoDB indexes at most 3072 bytes: 255 + 500 characters of
-- utf8mb4 fit. JSON is kept as LONGTEXT, the exact text the engine handed over.

CREATE TABLE IF NOT EXISTS ${prefix}rooms (
  name   VARCHAR(255) NOT NULL PRIMARY KEY,
  config LONGTEXT     NOT NULL,  -- RoomConfig as JSON
  epoch  VARCHAR(255) NOT NULL,
  head   BIGINT       NOT NULL,  -- seq of the room's last op, 0 when it has none
  owner_gen BIGINT       NOT NULL DEFAULT 0  -- the fencing generation of its last owner node (decision 015)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = ${collation};

-- An op's body is {"set": {key: raw JSON value, ...}, "delete": [key, ...]}, "delete" only when
-- the op deletes keys; a null in "set" is the JSON value null. Rows of the first format (kinds
-- put and reset) hold {key: raw JSON value, ...}, where null deletes the key.
CREATE TABLE IF NOT EXISTS ${prefix}ops (
  room      VARCHAR(255) NOT NULL,
  seq       BIGINT       NOT NULL,
  writer    TEXT,
  local_seq BIGINT       NOT NULL,
  priority  INT          NOT NULL,
  time      BIGINT       NOT NULL,  -- epoch millis
  kind      VARCHAR(8)   NOT NULL,  -- put2 | reset2 (first format: put | reset)
  body      LONGTEXT     NOT NULL,  -- the change as JSON, see above
  PRIMARY KEY (room, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = ${collation};

-- The fold of every op; a NULL value is a tombstone (the key was deleted at seq), the text
-- null the JSON value null. A key's place in the room's order is (place_seq, place_index): the
-- seq of the op that set it new or set it again after a delete, and its index among that op's
-- keys; setting a live key keeps its place. Rows of databases made before these columns have
-- none (the store adds the columns when it opens them) and are listed after the others.
CREATE TABLE IF NOT EXISTS ${prefix}entries (
  room     VARCHAR(255) NOT NULL,
  key_name VARCHAR(500) NOT NULL,
  value    LONGTEXT,
  seq      BIGINT       NOT NULL,
  writer   TEXT,
  priority INT          NOT NULL,
  place_seq   BIGINT,
  place_index INT,
  PRIMARY KEY (room, key_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = ${collation};

CREATE TABLE IF NOT EXISTS ${prefix}attributes (
  room     VARCHAR(255) NOT NULL,
  key_name VARCHAR(500) NOT NULL,
  value    LONGTEXT     NOT NULL,
  PRIMARY KEY (room, key_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = ${collation};

CREATE TABLE IF NOT EXISTS ${prefix}stream (
  room       VARCHAR(255) NOT NULL,
  id         BIGINT       NOT NULL,
  time       BIGINT       NOT NULL,
  expires_at BIGINT       NOT NULL,
  body       LONGTEXT     NOT NULL,
  PRIMARY KEY (room, id),
  INDEX ${prefix}stream_expiry (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = ${collation};

-- One row, rewritten to learn whether the database takes writes again after a failure.
CREATE TABLE IF NOT EXISTS ${prefix}probe (
  id INT    NOT NULL PRIMARY KEY,
  at BIGINT NOT NULL  -- epoch millis of the last probe
) ENGINE = InnoDB;

-- The resend ledger: each client's decided changes, so a resend is answered, never applied
-- twice. Kept apart from ops: trimming history leaves it alone. A row with seq is an ack; one
-- without, a refusal with its code and message; the code 'forgotten' marks the client's floor,
-- at and below which its decisions are forgotten (decision 007).
CREATE TABLE IF NOT EXISTS ${prefix}ledger (
  room      VARCHAR(255) NOT NULL,
  client    VARCHAR(500) NOT NULL,
  local_seq BIGINT NOT NULL,
  seq       BIGINT,
  code      VARCHAR(32),
  message   LONGTEXT,
  PRIMARY KEY (room, client, local_seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = ${collation};
