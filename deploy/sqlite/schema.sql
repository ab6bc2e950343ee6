-- Standalone store: the grain state table and the queries the Orleans ADO.NET persistence provider reads from
-- OrleansQuery (WriteToStorageKey, ReadFromStorageKey, ClearStorageKey, DeleteStorageKey). Applied on every start;
-- every statement is idempotent.
--
-- Durability: WAL journal (persistent in the file). The service opens every connection with synchronous=FULL (a
-- committed write is fsynced to the WAL before the provider returns) and secure_delete=ON (see SqliteDataSource).
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NULL,
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NOT NULL
);

-- One row per grain: a second activation racing to insert the same grain is ignored and sees a version conflict.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, ServiceId, COALESCE(GrainIdExtensionString, ''));

-- Each query returns one row with NewGrainStateVersion: the new version on success, the caller's on a conflict
-- (the provider turns "unchanged" into InconsistentStateException).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary, ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), Version = Version + 1
    WHERE @GrainStateVersion IS NOT NULL AND Version = @GrainStateVersion
      AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString AND ServiceId = @ServiceId
      AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''');
    SELECT @GrainStateVersion + 1 AS NewGrainStateVersion WHERE @GrainStateVersion IS NOT NULL AND changes() > 0;
    SELECT @GrainStateVersion AS NewGrainStateVersion WHERE @GrainStateVersion IS NOT NULL AND changes() = 0;
    INSERT OR IGNORE INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
         PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId,
           @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
    WHERE @GrainStateVersion IS NULL;
    SELECT 1 AS NewGrainStateVersion WHERE @GrainStateVersion IS NULL AND changes() > 0;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
    SELECT PayloadBinary, Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString AND ServiceId = @ServiceId
      AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
    LIMIT 1;
');

-- Not used while DeleteStateOnClear is on (it always is here); kept because the provider requires the key.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), Version = Version + 1
    WHERE Version = @GrainStateVersion
      AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString AND ServiceId = @ServiceId
      AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''');
    SELECT @GrainStateVersion + 1 AS NewGrainStateVersion WHERE changes() > 0;
    SELECT @GrainStateVersion AS NewGrainStateVersion WHERE changes() = 0;
');

-- Clearing state deletes the row; with secure_delete on, SQLite overwrites the freed content in the file.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE Version = @GrainStateVersion
      AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString AND ServiceId = @ServiceId
      AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''');
    SELECT @GrainStateVersion + 1 AS NewGrainStateVersion WHERE changes() > 0;
    SELECT @GrainStateVersion AS NewGrainStateVersion WHERE changes() = 0;
');

-- The event journal (group commit): accepted events, per user, until a snapshot of the user's grain state holds them.
-- Users are keyed by an HMAC-SHA256 of their id (see person_keys): the id itself is never written here. Payloads are
-- sealed (AES-256-GCM) with the person's key. Rows are appended in commit order
-- (rowid), so that a group commit of many users' events writes a few adjacent pages instead of one page per user; the
-- silo finds a user's rows through an index it keeps in memory (SqliteEventJournal), rebuilt from this table on start.
CREATE TABLE IF NOT EXISTS event_log
(
    id         INTEGER PRIMARY KEY,
    service_id TEXT    NOT NULL,
    user_key   TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    payload    BLOB    NOT NULL
);

-- Person keys (crypto-shredding): one AES-256 key per person, wrapped (AES-256-GCM) by the master key named in
-- master_key_id; everything stored about the person is sealed with it, and erasure deletes it. key_id is the HMAC-SHA256
-- of the user id under the index key, whose own wrapped copy is the row 'journal-index'.
CREATE TABLE IF NOT EXISTS person_keys
(
    service_id    TEXT NOT NULL,
    key_id        TEXT NOT NULL,
    master_key_id TEXT NOT NULL,
    wrapped       BLOB NOT NULL,
    PRIMARY KEY (service_id, key_id)
) WITHOUT ROWID;
