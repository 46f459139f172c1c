-- rlm_phonecert rollover ledger, PostgreSQL.  Schema version 1.
--
-- The same tables as sqlite/schema.sql (read its header): phonecert_device, one row per
-- device, upserted atomically by every RADIUS server (INSERT ... ON CONFLICT, so several
-- radiusd writing one ledger lose no update and the counts add up), and the append-only
-- phonecert_history filled by triggers in the same transaction.  Times are Unix seconds.
--
-- Run once as the database owner:  psql -d radius -f schema.sql
-- The RADIUS servers' role needs only:  GRANT SELECT, INSERT, UPDATE ON phonecert_device TO radius;
--	GRANT INSERT ON phonecert_history TO radius; GRANT USAGE ON SEQUENCE phonecert_history_id_seq TO radius;
-- and the reporting role (phonecert rollover/phones/disconnect) only SELECT.
--
-- Upgrades: phonecert_schema holds the version (1 here).  A later release ships
-- upgrade-N.sql (version N-1 to N) beside this file: run each one above the ledger's version,
-- in order, as the owner (psql -d radius -1 -f upgrade-2.sql); each sets
-- phonecert_schema.version = N.  The queries.conf of that release expects version N.

CREATE TABLE IF NOT EXISTS phonecert_schema (
	version		INTEGER NOT NULL
);
INSERT INTO phonecert_schema (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM phonecert_schema);

CREATE TABLE IF NOT EXISTS phonecert_device (
	device			TEXT PRIMARY KEY,
	mac			TEXT NOT NULL DEFAULT '',
	model			TEXT NOT NULL DEFAULT '',
	kind			TEXT NOT NULL DEFAULT '',
	anchor			TEXT NOT NULL DEFAULT '',
	anchor_fp		TEXT NOT NULL DEFAULT '',
	anchor_state		TEXT NOT NULL DEFAULT '',
	reason			TEXT NOT NULL,
	reason_code		INTEGER NOT NULL,
	accepted		INTEGER NOT NULL,
	cert_serial		TEXT NOT NULL DEFAULT '',
	cert_not_after		BIGINT NOT NULL DEFAULT 0,
	nas_ip			TEXT NOT NULL DEFAULT '',
	nas_id			TEXT NOT NULL DEFAULT '',
	nas_port_id		TEXT NOT NULL DEFAULT '',
	calling_station_id	TEXT NOT NULL DEFAULT '',
	server			TEXT NOT NULL DEFAULT '',
	first_seen		BIGINT NOT NULL,
	last_seen		BIGINT NOT NULL,
	count			BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS phonecert_device_anchor ON phonecert_device (anchor_fp, last_seen);
CREATE INDEX IF NOT EXISTS phonecert_device_last_seen ON phonecert_device (last_seen);

CREATE TABLE IF NOT EXISTS phonecert_history (
	id			BIGSERIAL PRIMARY KEY,
	device			TEXT NOT NULL,
	at			BIGINT NOT NULL,
	server			TEXT NOT NULL DEFAULT '',
	old_kind		TEXT NOT NULL DEFAULT '',
	new_kind		TEXT NOT NULL DEFAULT '',
	old_anchor		TEXT NOT NULL DEFAULT '',
	new_anchor		TEXT NOT NULL DEFAULT '',
	old_anchor_fp		TEXT NOT NULL DEFAULT '',
	new_anchor_fp		TEXT NOT NULL DEFAULT '',
	reason			TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS phonecert_history_device ON phonecert_history (device, at);
CREATE INDEX IF NOT EXISTS phonecert_history_at ON phonecert_history (at);

CREATE OR REPLACE FUNCTION phonecert_device_history() RETURNS trigger AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO phonecert_history (device, at, server, new_kind, new_anchor, new_anchor_fp, reason)
		VALUES (NEW.device, NEW.last_seen, NEW.server, NEW.kind, NEW.anchor, NEW.anchor_fp, NEW.reason);
	ELSIF OLD.kind IS DISTINCT FROM NEW.kind OR OLD.anchor_fp IS DISTINCT FROM NEW.anchor_fp THEN
		INSERT INTO phonecert_history (device, at, server, old_kind, new_kind, old_anchor, new_anchor,
					       old_anchor_fp, new_anchor_fp, reason)
		VALUES (NEW.device, NEW.last_seen, NEW.server, OLD.kind, NEW.kind, OLD.anchor, NEW.anchor,
			OLD.anchor_fp, NEW.anchor_fp, NEW.reason);
	END IF;
	RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS phonecert_device_history ON phonecert_device;
CREATE TRIGGER phonecert_device_history AFTER INSERT OR UPDATE ON phonecert_device
	FOR EACH ROW EXECUTE FUNCTION phonecert_device_history();
