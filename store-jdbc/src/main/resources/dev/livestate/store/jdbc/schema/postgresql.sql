-- livestate store schema, PostgreSQL. ${prefix} is the store's table prefix.
-- Every statement is idempotent: the store runs this file each time it opens.
-- JSON is kept as TEXT, the exact text the engine handed over: jsonb would re-encode it.

CREATE TABLE IF NOT EXISTS ${prefix}rooms (
  name   TEXT   NOT NULL PRIMARY KEY,
  config TEXT   NOT NULL,  -- RoomConfig as JSON
  epoch  TEXT   NOT NULL,
  head   BIGINT NOT NULL,  -- seq of the room's last op, 0 when it has none
  owner_gen BIGINT NOT NULL DEFAULT 0  -- the fencing generation of its last owner node (decision 015)
);

-- An op's body is {"set": {key: raw JSON value, ...}, "delete": [key, ...]}, "delete" only when
-- the op deletes keys; a null in "set" is the JSON value null. Rows of the first format (kinds
-- put and reset) hold {key: raw JSON value, ...}, where null deletes the key.
CREATE TABLE IF NOT EXISTS ${prefix}ops (
  room      TEXT    NOT NULL,
  seq       BIGINT  NOT NULL,
  writer    TEXT,
  local_seq BIGINT  NOT NULL,
  priority  INTEGER NOT NULL,
  time      BIGINT  NOT NULL,  -- epoch millis
  kind      TEXT    NOT NULL,  -- put2 | reset2 (first format: put | reset)
  body      TEXT    NOT NULL,  -- the change as JSON, see above
  PRIMARY KEY (room, seq)
);

-- The fold of every op; a NULL value is a tombstone (the key was deleted at seq), the text
-- null the JSON value null. A key's place in the room's order is (place_seq, place_index): the
-- seq of the op that set it new or set it again after a delete, and its index among that op's
-- keys; setting a live key keeps its place. Rows of databases made before these columns have
-- none (the store adds the columns when it opens them) and are listed after the others.
CREATE TABLE IF NOT EXISTS ${prefix}entries (
  room     TEXT    NOT NULL,
  key_name TEXT    NOT NULL,
  value    TEXT,
  seq      BIGINT  NOT NULL,
  writer   TEXT,
  priority INTEGER NOT NULL,
  place_seq   BIGINT,
  place_index INTEGER,
  PRIMARY KEY (room, key_name)
);

CREATE TABLE IF NOT EXISTS ${prefix}attributes (
  room     TEXT NOT NULL,
  key_name TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (room, key_name)
);

CREATE TABLE IF NOT EXISTS ${prefix}stream (
  room       TEXT   NOT NULL,
  id         BIGINT NOT NULL,
  time       BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  body       TEXT   NOT NULL,
  PRIMARY KEY (room, id)
);

CREATE INDEX IF NOT EXISTS ${prefix}stream_expiry ON ${prefix}stream (expires_at);

-- One row, rewritten to learn whether the database takes writes again after a failure.
CREATE TABLE IF NOT EXISTS ${prefix}probe (
  id INTEGER NOT NULL PRIMARY KEY,
  at BIGINT  NOT NULL  -- epoch millis of the last probe
);

-- The resend ledger: each client's decided changes, so a resend is answered, never applied
-- twice. Kept apart from ops: trimming history leaves it alone. A row with seq is an ack; one
-- without, a refusal with its code and message; the code 'forgotten' marks the client's floor,
-- at and below which its decisions are forgotten (decision 007).
CREATE TABLE IF NOT EXISTS ${prefix}ledger (
  room      TEXT NOT NULL,
  client    TEXT NOT NULL,
  local_seq BIGINT NOT NULL,
  seq       BIGINT,
  code      TEXT,
  message   TEXT,
  PRIMARY KEY (room, client, local_seq)
);
