-- PostgreSQL schema of the personalization cluster, written for this project against the query contract of the Orleans
-- ADO.NET providers (10.4): the OrleansQuery table maps query keys to SQL that the providers run with named
-- parameters. Idempotent: safe to run again, and the silos run it on start under an advisory lock.
--   psql "$CONNECTION" -v ON_ERROR_STOP=1 -f deploy/postgres/schema.sql

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

------------------------------------------------------------------------------------------------------------------------
-- Clustering: one version row per cluster (optimistic concurrency for membership changes), one row per silo.
------------------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL PRIMARY KEY,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- A membership row is inserted or updated only together with a bump of the cluster's version, and only if the caller
-- saw the current version; the functions return the number of rows changed (0 tells Orleans to re-read and retry).
CREATE OR REPLACE FUNCTION personalization_insert_membership(
    deployment_id varchar, address_arg varchar, port_arg integer, generation_arg integer, silo_name varchar,
    host_name varchar, status_arg integer, proxy_port integer, start_time timestamptz, i_am_alive timestamptz,
    expected_version integer)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = deployment_id AND Version = expected_version;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (deployment_id, address_arg, port_arg, generation_arg, silo_name, host_name, status_arg, proxy_port, start_time, i_am_alive)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        -- The silo row exists already: undo the version bump with the whole statement.
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'membership row exists';
    END IF;
    RETURN QUERY SELECT 1;
EXCEPTION WHEN SQLSTATE 'P0001' THEN
    RETURN QUERY SELECT 0;
END $$;

CREATE OR REPLACE FUNCTION personalization_update_membership(
    deployment_id varchar, address_arg varchar, port_arg integer, generation_arg integer, status_arg integer,
    suspect_times varchar, i_am_alive timestamptz, expected_version integer)
RETURNS TABLE (row_count integer) LANGUAGE plpgsql AS $$
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = deployment_id AND Version = expected_version;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 0;
        RETURN;
    END IF;

    UPDATE OrleansMembershipTable
    SET Status = status_arg, SuspectTimes = suspect_times, IAmAliveTime = i_am_alive
    WHERE DeploymentId = deployment_id AND Address = address_arg AND Port = port_arg AND Generation = generation_arg;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'membership row missing';
    END IF;
    RETURN QUERY SELECT 1;
EXCEPTION WHEN SQLSTATE 'P0001' THEN
    RETURN QUERY SELECT 0;
END $$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
    WITH inserted AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
        ON CONFLICT DO NOTHING RETURNING 1)
    SELECT COUNT(*)::integer AS row_count FROM inserted;'),
('InsertMembershipKey', '
    SELECT row_count FROM personalization_insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName,
        @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);'),
('UpdateMembershipKey', '
    SELECT row_count FROM personalization_update_membership(@DeploymentId, @Address, @Port, @Generation, @Status,
        @SuspectTimes, @IAmAliveTime, @Version);'),
('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;'),
('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;'),
('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
           m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;'),
('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;'),
('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;'),
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3;'),
('CleanupDefunctSiloEntryKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

------------------------------------------------------------------------------------------------------------------------
-- Grain state: one row per grain; clearing state deletes the row (DeleteStateOnClear), never leaves a nulled one.
------------------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL,
    Version                integer      NOT NULL
);

-- One row per grain: an insert racing another activation conflicts instead of creating a twin.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_grain ON OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, ServiceId, COALESCE(GrainIdExtensionString, ''));

-- Each storage query returns NewGrainStateVersion: the new version on success; the caller's (or NULL) on a conflict,
-- which the provider turns into InconsistentStateException.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
    SELECT PayloadBinary, Version FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString AND ServiceId = @ServiceId
      AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
    LIMIT 1;'),
('WriteToStorageKey', '
    WITH updated AS (
        UPDATE OrleansStorage SET PayloadBinary = @PayloadBinary, ModifiedOn = now(), Version = Version + 1
        WHERE @GrainStateVersion IS NOT NULL AND Version = @GrainStateVersion
          AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0
          AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString AND ServiceId = @ServiceId
          AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
        RETURNING Version),
    inserted AS (
        INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
            GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
            @ServiceId, @PayloadBinary, now(), 1
        WHERE @GrainStateVersion IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version)
    SELECT Version AS NewGrainStateVersion FROM updated
    UNION ALL SELECT Version FROM inserted
    UNION ALL SELECT @GrainStateVersion WHERE NOT EXISTS (SELECT 1 FROM updated) AND NOT EXISTS (SELECT 1 FROM inserted);'),
('ClearStorageKey', '
    WITH cleared AS (
        UPDATE OrleansStorage SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
        WHERE Version = @GrainStateVersion
          AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0
          AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString AND ServiceId = @ServiceId
          AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
        RETURNING Version)
    SELECT Version AS NewGrainStateVersion FROM cleared
    UNION ALL SELECT @GrainStateVersion WHERE NOT EXISTS (SELECT 1 FROM cleared);'),
('DeleteStorageKey', '
    WITH deleted AS (
        DELETE FROM OrleansStorage
        WHERE Version = @GrainStateVersion
          AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0
          AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString AND ServiceId = @ServiceId
          AND COALESCE(GrainIdExtensionString, '''') = COALESCE(@GrainIdExtensionString, '''')
        RETURNING Version)
    SELECT Version + 1 AS NewGrainStateVersion FROM deleted
    UNION ALL SELECT @GrainStateVersion WHERE NOT EXISTS (SELECT 1 FROM deleted);')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

------------------------------------------------------------------------------------------------------------------------
-- The event journal (group commit): accepted events, per user, until a snapshot of the user's grain state holds them.
-- Users are keyed by an HMAC-SHA256 of their id (see person_keys): the id itself is never written here. Payloads are
-- sealed (AES-256-GCM) with the person's key.
------------------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS event_journal
(
    service_id varchar(150) NOT NULL,
    user_key   varchar(64)  NOT NULL,
    seq        bigint       NOT NULL,
    payload    bytea        NOT NULL,
    PRIMARY KEY (service_id, user_key, seq)
);

------------------------------------------------------------------------------------------------------------------------
-- Person keys (crypto-shredding): one AES-256 key per person, wrapped (AES-256-GCM) by the master key named in
-- master_key_id; everything stored about the person is sealed with it, and erasure deletes it. key_id is the HMAC-SHA256
-- of the user id under the index key, whose own wrapped copy is the row 'journal-index'.
------------------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS person_keys
(
    service_id    varchar(150) NOT NULL,
    key_id        varchar(64)  NOT NULL,
    master_key_id varchar(16)  NOT NULL,
    wrapped       bytea        NOT NULL,
    PRIMARY KEY (service_id, key_id)
);
