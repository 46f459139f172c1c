-- rlm_phonecert rollover ledger, SQLite.  Schema version 1.
--
-- One row per device in phonecert_device (the latest decision, where and when, how often),
-- and an append-only phonecert_history of changes (first seen, the anchor or the kind a device
-- presents changed, e.g. re-enrolled from the retiring CAPF to the new one), filled by a
-- trigger in the same statement as the upsert (created by queries.conf, see the end).  Written by FreeRADIUS's rlm_sql
-- (mods-available/phonecert_ledger, queries.conf beside this file), read by
-- `phonecert rollover|phones|disconnect --db`.
--
-- Times are Unix seconds (UTC).  A device is its certificate's SEP<MAC> name, a refusal
-- without one (no certificate, not a phone...) is keyed "csid:<Calling-Station-Id>".
--
-- Upgrades: phonecert_schema holds the version, a later release ships upgrade-N.sql
-- (from version N-1 to N) beside this file, and the phonecert command refuses a ledger
-- whose version it does not know, naming both.  Apply each upgrade-N.sql above the ledger's
-- version in order, with radiusd stopped (sqlite3 LEDGER.sqlite < upgrade-2.sql), each one
-- changes the tables and sets phonecert_schema.version = N in one transaction.  radiusd never
-- migrates a ledger itself: bootstrap only creates a missing file from this schema.

-- Write-ahead logging: each write appends to the -wal file instead of creating, syncing and
-- deleting a rollback journal (the ledger is written once per authentication).  A property of
-- the file, kept across restarts.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS phonecert_schema (
	version		INTEGER NOT NULL
);
INSERT INTO phonecert_schema (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM phonecert_schema);

CREATE TABLE IF NOT EXISTS phonecert_device (
	device			TEXT PRIMARY KEY,
	mac			TEXT NOT NULL DEFAULT '',	-- from the certificate, aa:bb:cc:dd:ee:ff
	model			TEXT NOT NULL DEFAULT '',
	kind			TEXT NOT NULL DEFAULT '',	-- lsc | mic | '' (unknown)
	anchor			TEXT NOT NULL DEFAULT '',	-- [anchor NAME] in phonecert.conf
	anchor_fp		TEXT NOT NULL DEFAULT '',	-- its SHA-256 fingerprint, lower-case hex
	anchor_state		TEXT NOT NULL DEFAULT '',	-- active | retiring | disabled
	reason			TEXT NOT NULL,			-- lsc-accepted, capf-window-closed...
	reason_code		INTEGER NOT NULL,
	accepted		INTEGER NOT NULL,		-- 1 admitted, 0 refused
	cert_serial		TEXT NOT NULL DEFAULT '',	-- lower-case hex
	cert_not_after		INTEGER NOT NULL DEFAULT 0,
	nas_ip			TEXT NOT NULL DEFAULT '',	-- NAS-IP-Address (the switch)
	nas_id			TEXT NOT NULL DEFAULT '',	-- NAS-Identifier
	nas_port_id		TEXT NOT NULL DEFAULT '',	-- NAS-Port-Id (the port)
	calling_station_id	TEXT NOT NULL DEFAULT '',
	server			TEXT NOT NULL DEFAULT '',	-- the RADIUS server that wrote it
	first_seen		INTEGER NOT NULL,
	last_seen		INTEGER NOT NULL,
	count			INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS phonecert_device_anchor ON phonecert_device (anchor_fp, last_seen);
CREATE INDEX IF NOT EXISTS phonecert_device_last_seen ON phonecert_device (last_seen);

CREATE TABLE IF NOT EXISTS phonecert_history (
	id			INTEGER PRIMARY KEY AUTOINCREMENT,
	device			TEXT NOT NULL,
	at			INTEGER NOT NULL,
	server			TEXT NOT NULL DEFAULT '',
	old_kind		TEXT NOT NULL DEFAULT '',	-- '' on the first sighting
	new_kind		TEXT NOT NULL DEFAULT '',
	old_anchor		TEXT NOT NULL DEFAULT '',
	new_anchor		TEXT NOT NULL DEFAULT '',
	old_anchor_fp		TEXT NOT NULL DEFAULT '',
	new_anchor_fp		TEXT NOT NULL DEFAULT '',
	reason			TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS phonecert_history_device ON phonecert_history (device, at);
CREATE INDEX IF NOT EXISTS phonecert_history_at ON phonecert_history (at);

-- The history trigger is not in this file: radiusd creates this file from it (rlm_sql_sqlite's
-- bootstrap), and FreeRADIUS 3.2's loader ends a statement at every semicolon that ends a line and
-- drops the text before any other semicolon, so it cannot load a trigger's body.  queries.conf
-- beside this file creates phonecert_device_history at every start of radiusd instead.
