// Numbered migrations, the same SQL for SQLite and PostgreSQL (portable types only: TEXT, BIGINT).
// Timestamps are ISO-8601 text; booleans are 0/1; secrets are ciphertext from secrets.js, never plaintext.
import type { Db, Dialect } from './db.js';
import { countersSql } from './counters.js';

export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
  /** Statements for one store only, run after sql, each whole (not split at semicolons: trigger bodies hold them). */
  readonly dialects?: { readonly [D in Dialect]: () => readonly string[] };
}

export const migrations: readonly Migration[] = [
  {
    id: 1,
    name: 'accounts, users, groups, credentials, mfa devices',
    sql: `
CREATE TABLE installation (
  id BIGINT PRIMARY KEY,
  account_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  alias TEXT UNIQUE,
  root_email TEXT NOT NULL,
  root_password_hash TEXT NOT NULL,
  root_password_changed_at TEXT,
  root_password_last_used TEXT,
  password_policy TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE users (
  user_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  name TEXT NOT NULL,
  name_lc TEXT NOT NULL,
  path TEXT NOT NULL,
  permissions_boundary TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  password_last_used TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (account_id, name_lc)
);
CREATE TABLE groups_ (
  group_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  name TEXT NOT NULL,
  name_lc TEXT NOT NULL,
  path TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (account_id, name_lc)
);
CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES groups_(group_id),
  user_id TEXT NOT NULL REFERENCES users(user_id),
  added_at TEXT NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);
CREATE TABLE login_profiles (
  user_id TEXT PRIMARY KEY REFERENCES users(user_id),
  password_hash TEXT NOT NULL,
  password_history TEXT NOT NULL DEFAULT '[]',
  password_reset_required BIGINT NOT NULL DEFAULT 0,
  password_changed_at TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  user_id TEXT REFERENCES users(user_id),
  secret_enc TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_date TEXT,
  last_used_service TEXT,
  last_used_region TEXT
);
CREATE INDEX access_keys_user ON access_keys(account_id, user_id);
CREATE TABLE policy_attachments (
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  policy_arn TEXT NOT NULL,
  attached_at TEXT NOT NULL,
  PRIMARY KEY (principal_type, principal_id, policy_arn)
);
CREATE TABLE user_policies (
  user_id TEXT NOT NULL REFERENCES users(user_id),
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (user_id, name)
);
CREATE TABLE group_policies (
  group_id TEXT NOT NULL REFERENCES groups_(group_id),
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (group_id, name)
);
CREATE TABLE mfa_devices (
  serial_number TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  kind TEXT NOT NULL,
  name TEXT,
  path TEXT,
  secret_enc TEXT NOT NULL,
  params TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  owner_type TEXT,
  owner_id TEXT,
  enabled_at TEXT,
  created_at TEXT NOT NULL,
  last_step BIGINT NOT NULL DEFAULT 0,
  drift BIGINT NOT NULL DEFAULT 0,
  failures BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX mfa_devices_owner ON mfa_devices(account_id, owner_type, owner_id);
`,
  },
  {
    id: 2,
    name: 'mfa code throttle per principal',
    // One brute-force state per principal (IAM user or root), not per device: a caller picks the serial
    // number, so per-device counters would multiply an attacker's guesses by the number of devices (up to 8).
    // mfa_devices.failures and locked_until (migration 1) stay unused.
    sql: `
CREATE TABLE mfa_throttle (
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  failures BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, principal_type, principal_id)
);
CREATE INDEX mfa_devices_kind ON mfa_devices(account_id, kind, serial_number);
`,
  },
  {
    id: 3,
    name: 'managed policies, versions, roles, role inline policies, authorisation version',
    // authz_version: one counter per account, bumped in the same transaction as every change to policy documents,
    // attachments and permissions boundaries, so every node sharing the database can check its policy cache with
    // one cheap query per request (src/server/authorizer.js).
    sql: `
CREATE TABLE managed_policies (
  policy_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  arn TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_lc TEXT NOT NULL,
  path TEXT NOT NULL,
  description TEXT,
  default_version TEXT NOT NULL,
  next_version BIGINT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (account_id, name_lc)
);
CREATE TABLE policy_versions (
  policy_id TEXT NOT NULL REFERENCES managed_policies(policy_id),
  version_id TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (policy_id, version_id)
);
CREATE TABLE roles (
  role_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  name TEXT NOT NULL,
  name_lc TEXT NOT NULL,
  path TEXT NOT NULL,
  assume_role_policy TEXT NOT NULL,
  description TEXT,
  max_session_duration BIGINT NOT NULL,
  permissions_boundary TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  last_used_date TEXT,
  last_used_region TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (account_id, name_lc)
);
CREATE TABLE role_policies (
  role_id TEXT NOT NULL REFERENCES roles(role_id),
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (role_id, name)
);
CREATE INDEX policy_attachments_arn ON policy_attachments(account_id, policy_arn);
CREATE TABLE authz_version (
  account_id TEXT PRIMARY KEY REFERENCES accounts(account_id),
  version BIGINT NOT NULL
);
`,
  },
  {
    id: 10,
    name: 'STS sessions (temporary credentials)',
    // The session token itself is never stored: only its SHA-256, compared in constant time.
    sql: `
CREATE TABLE sts_sessions (
  access_key_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  source TEXT NOT NULL,
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  session_name TEXT,
  secret_enc TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  mfa_authenticated_at TEXT,
  mfa_serial TEXT,
  source_identity TEXT
);
CREATE INDEX sts_sessions_expiry ON sts_sessions(expires_at);
`,
  },
  {
    id: 20,
    name: 'credential reports',
    // One report per account, shared by every node on the database. state: INPROGRESS | COMPLETE | FAILED;
    // generation_id lets only the generator that started a run finish it (a stale one cannot overwrite a newer run).
    sql: `
CREATE TABLE credential_reports (
  account_id TEXT PRIMARY KEY REFERENCES accounts(account_id),
  state TEXT NOT NULL,
  generation_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  generated_at TEXT,
  content TEXT
);
`,
  },
  {
    id: 30,
    name: 'STS sessions: originating identity, session tags, session policies',
    // origin_type/origin_id: the long-term identity (IAM user or root) a session descends from, carried through
    // role chains; NULL for role sessions issued before this migration (origin unknown). session_tags and
    // transitive_tag_keys: JSON; session_policy: the inline session policy text; session_policy_arns: JSON list.
    // The index serves the per-identity session bound (src/sts/index.js) and covers issued_at for its rate check.
    sql: `
ALTER TABLE sts_sessions ADD COLUMN origin_type TEXT;
ALTER TABLE sts_sessions ADD COLUMN origin_id TEXT;
ALTER TABLE sts_sessions ADD COLUMN session_tags TEXT;
ALTER TABLE sts_sessions ADD COLUMN transitive_tag_keys TEXT;
ALTER TABLE sts_sessions ADD COLUMN session_policy TEXT;
ALTER TABLE sts_sessions ADD COLUMN session_policy_arns TEXT;
UPDATE sts_sessions SET origin_type = principal_type, origin_id = principal_id WHERE principal_type IN ('user', 'root');
CREATE INDEX sts_sessions_origin ON sts_sessions(account_id, origin_type, origin_id, expires_at, issued_at);
`,
  },
  {
    id: 40,
    name: 'master key sentinel',
    // A value sealed under the master key the store's secrets use, with the key's id (an HMAC fingerprint, never
    // the key): a node started with another key refuses to start instead of answering 500 and sealing new
    // secrets under the wrong key (src/store/secrets.js verifyMasterKey).
    sql: `
CREATE TABLE master_key_sentinel (
  id BIGINT PRIMARY KEY,
  key_id TEXT NOT NULL,
  sealed TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`,
  },
  // ---- console (issue 9) ----
  {
    id: 50,
    name: 'console sessions and sign-in throttle',
    // console_sessions: one row per browser session, keyed by the SHA-256 of the cookie's random id (the id itself
    // is never stored). stage: 'mfa' (password passed, second factor pending) or 'active' (access_key_id names the
    // session's temporary credential in sts_sessions; token_enc is its session token, sealed). Times in epoch ms.
    // signin_throttle: password-guessing back-off per subject ('principal|…' as typed, 'address|IP'), shared by
    // every node on the database (src/signin/throttle.ts).
    sql: `
CREATE TABLE console_sessions (
  id_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  access_key_id TEXT,
  token_enc TEXT,
  csrf TEXT NOT NULL,
  must_change_password BIGINT NOT NULL DEFAULT 0,
  mfa_failures BIGINT NOT NULL DEFAULT 0,
  pending_enc TEXT,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);
CREATE TABLE signin_throttle (
  subject TEXT PRIMARY KEY,
  failures BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  last_failure BIGINT NOT NULL DEFAULT 0
);
`,
  },
  {
    id: 60,
    name: 'counters kept in step with writes; index-backed path prefixes, boundaries and device filters',
    // account_counters: what GetAccountSummary and the account-wide quotas count, one row per account and counter;
    // policy_usage: each policy's attachments and permissions-boundary uses (GetPolicy, ListPolicies, DeletePolicy).
    // Both are kept by triggers in the writing statement's own transaction (countersSql below), so no write path
    // can forget them and concurrent writers on any node add their deltas atomically. The path indexes are
    // bytewise (COLLATE "C" on PostgreSQL) so a PathPrefix is a range scan (iam-store.ts prefixRange).
    // credential_report_parts: a report's CSV in parts written as the run goes and streamed back in order by
    // GetCredentialReport; content_generation_id names the run whose parts are the report (a failed later run leaves
    // it, as it left the content before). credential_reports.content stays NULL; a report stored before moves to part 0: its
    // text is ASCII, IAM names and paths being ASCII, so length() is its size in bytes).
    sql: `
CREATE TABLE account_counters (
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  name TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (account_id, name)
);
CREATE TABLE policy_usage (
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  policy_arn TEXT NOT NULL,
  attachments BIGINT NOT NULL,
  boundaries BIGINT NOT NULL,
  PRIMARY KEY (account_id, policy_arn)
);
CREATE INDEX users_boundary ON users(account_id, permissions_boundary);
CREATE INDEX roles_boundary ON roles(account_id, permissions_boundary);
CREATE INDEX mfa_devices_owner_id ON mfa_devices(owner_id, owner_type);
CREATE INDEX mfa_devices_unassigned ON mfa_devices(account_id, kind, serial_number) WHERE owner_type IS NULL;
CREATE INDEX mfa_devices_assigned ON mfa_devices(account_id, kind, serial_number) WHERE owner_type IS NOT NULL;
CREATE TABLE credential_report_parts (
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  generation_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  content TEXT NOT NULL,
  PRIMARY KEY (account_id, generation_id, seq)
);
ALTER TABLE credential_reports ADD COLUMN content_generation_id TEXT;
ALTER TABLE credential_reports ADD COLUMN content_bytes BIGINT;
ALTER TABLE credential_reports ADD COLUMN content_parts BIGINT;
INSERT INTO credential_report_parts (account_id, generation_id, seq, content) SELECT account_id, generation_id, 0, content FROM credential_reports WHERE content IS NOT NULL;
UPDATE credential_reports SET content_generation_id = generation_id, content_bytes = length(content), content_parts = 1, content = NULL WHERE content IS NOT NULL
`,
    dialects: { sqlite: () => countersSql('sqlite'), postgres: () => countersSql('postgres') },
  },
  // ---- passkeys and security keys (issue 9) ----
  {
    id: 65,
    name: 'FIDO credentials (passkeys, security keys) and the console WebAuthn challenge',
    // A FIDO device is an mfa_devices row of kind 'fido' (so it counts, lists and reports like any MFA device) whose
    // secret_enc is its credential public key sealed under the master key with the serial as additional data: a
    // public key is no secret, but sealing it means a database writer cannot plant a key of their own. The rest of
    // the credential is here: its id (base64url, unique), the signature counter (advanced by a conditional update,
    // so a counter seen once is never accepted again on any node), transports, AAGUID, backup state. cloned_at
    // records the last time a counter went backwards (a cloned authenticator). console_sessions.webauthn_challenge
    // holds the one outstanding ceremony of a browser session (JSON: purpose, challenge, …), taken exactly once.
    sql: `
CREATE TABLE fido_credentials (
  serial_number TEXT PRIMARY KEY REFERENCES mfa_devices(serial_number),
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  credential_id TEXT NOT NULL UNIQUE,
  sign_count BIGINT NOT NULL DEFAULT 0,
  transports TEXT NOT NULL DEFAULT '[]',
  aaguid TEXT NOT NULL,
  device_type TEXT NOT NULL,
  backed_up BIGINT NOT NULL DEFAULT 0,
  last_used_at TEXT,
  cloned_at TEXT
);
ALTER TABLE console_sessions ADD COLUMN webauthn_challenge TEXT
`,
  },
  // ---- account MFA settings for console sign-in (issue 10) ----
  {
    id: 90,
    name: 'sign-in settings, recovery codes, trusted devices, email one-time codes',
    // signin_settings: one JSON document per account (src/signin/settings.ts validates it). recovery_codes: one
    // row per code, holding only its keyed hash (SecretBox.mac), spent with used_at. trusted_devices: the
    // context-aware mode's remembered browsers, keyed by the SHA-256 of the random token in their cookie; mfa_at is
    // the time of the sign-in that did pass MFA (aws:MultiFactorAuthAge counts from it). email_otps: the pending
    // emailed code per principal, keyed hash only. Times in epoch ms.
    sql: `
CREATE TABLE signin_settings (
  account_id TEXT PRIMARY KEY REFERENCES accounts(account_id),
  settings TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE recovery_codes (
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (principal_type, principal_id, code_hash)
);
CREATE TABLE trusted_devices (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  browser_family TEXT NOT NULL,
  network TEXT NOT NULL,
  mfa_at BIGINT NOT NULL,
  mfa_serial TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX trusted_devices_principal ON trusted_devices(principal_type, principal_id);
CREATE TABLE email_otps (
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  code_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (principal_type, principal_id)

);
`,
  },
  // ---- continuous audit monitoring (issue 11) ----
  {
    id: 110,
    name: 'audit monitoring: lease, runs, latest findings, finding events',
    // audit_leases: one row per account; the node whose holder token it carries (until expires_at, epoch ms) is
    // the only one running that account's audit, and it stores results only while it still holds it.
    // audit_runs: one row per finished run (score in tenths, counts, the per-check breakdown as JSON) for the
    // score's history. audit_findings: the latest finding per (check, resource) as JSON, with the last PASS/FAIL
    // seen (transitions are computed against it) and when the current failure began. audit_events: each
    // transition into FAIL and out of it, as notified. audit_requests: "audit again" asked by another process
    // or node (gatehouse root-access-key on the server host, the console's Run now): the latest time asked.
    sql: `
CREATE TABLE audit_leases (
  account_id TEXT PRIMARY KEY REFERENCES accounts(account_id),
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE audit_runs (
  run_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  run_trigger TEXT NOT NULL,
  node TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  score_tenths BIGINT,
  passed BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  not_applicable BIGINT NOT NULL,
  errored BIGINT NOT NULL,
  checks TEXT NOT NULL,
  credential_report TEXT NOT NULL
);
CREATE INDEX audit_runs_account ON audit_runs(account_id, finished_at);
CREATE TABLE audit_findings (
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  check_id TEXT NOT NULL,
  resource TEXT NOT NULL,
  status TEXT NOT NULL,
  severity TEXT NOT NULL,
  finding TEXT NOT NULL,
  last_decisive TEXT,
  status_since TEXT NOT NULL,
  failing_since TEXT,
  run_id TEXT NOT NULL,
  PRIMARY KEY (account_id, check_id, resource)
);
CREATE TABLE audit_events (
  event_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  at TEXT NOT NULL,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  check_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  resource TEXT NOT NULL,
  old_status TEXT,
  new_status TEXT,
  reason TEXT NOT NULL
);
CREATE INDEX audit_events_account ON audit_events(account_id, at);
CREATE TABLE audit_requests (
  account_id TEXT PRIMARY KEY REFERENCES accounts(account_id),
  requested_at BIGINT NOT NULL,
  reason TEXT NOT NULL
);
`,
  },
  {
    id: 70,
    name: 'event history (CloudTrail records)',
    // Append-only: the store offers inserts and the retention purge, nothing else. event_time is epoch ms; the
    // record column holds the CloudTrail record's JSON exactly as LookupEvents returns it.
    sql: `
CREATE TABLE events (
  event_id TEXT PRIMARY KEY,
  event_time BIGINT NOT NULL,
  account_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  event_source TEXT NOT NULL,
  username TEXT,
  access_key_id TEXT,
  read_only TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX events_time ON events(account_id, event_time);
CREATE INDEX events_name ON events(account_id, event_name, event_time);
CREATE INDEX events_user ON events(account_id, username, event_time);
CREATE INDEX events_key ON events(access_key_id);
CREATE INDEX events_global_time ON events(event_time);
CREATE TABLE event_resources (
  event_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_name TEXT NOT NULL,
  PRIMARY KEY (event_id, resource_type, resource_name)
);
CREATE INDEX event_resources_name ON event_resources(resource_name);
CREATE INDEX event_resources_type ON event_resources(resource_type);
`,
  },
  {
    id: 72,
    name: 'MFA devices listed in serial-number order along the owner index',
    // ListMFADevices pages an owner's devices by serial number: with serial_number in the owner index the rows come
    // in order from the index instead of being sorted per request.
    sql: `
CREATE INDEX mfa_devices_owner_serial ON mfa_devices(account_id, owner_type, owner_id, serial_number);
DROP INDEX mfa_devices_owner;
`,
  },
  {
    id: 74,
    name: 'ListEntitiesForPolicy paged along indexes',
    // A policy's attachments by kind and principal id, and the users and roles it bounds by id: a page of
    // ListEntitiesForPolicy reads only its own entities (the indexes they replace are prefixes of these).
    sql: `
CREATE INDEX policy_attachments_entities ON policy_attachments(account_id, policy_arn, principal_type, principal_id);
DROP INDEX policy_attachments_arn;
CREATE INDEX users_boundary_id ON users(account_id, permissions_boundary, user_id);
DROP INDEX users_boundary;
CREATE INDEX roles_boundary_id ON roles(account_id, permissions_boundary, role_id);
DROP INDEX roles_boundary;
`,
  },
  {
    id: 75,
    name: 'PostgreSQL: a change generation for the read cache',
    // What PostgreSQL's read cache is checked against (src/store/postgres.ts): change_generation's counters, one of
    // which every transaction that writes to any table but the event history's increases by one. The trigger is a
    // deferred constraint trigger, so it runs at commit, after every other lock the transaction takes (the row lock
    // it takes last can be part of no deadlock: docs/concurrency.md), and once a transaction (a transaction-local
    // setting remembers it). Sixteen counters, one chosen by the session's backend, so writers on different
    // connections seldom wait for each other's commit. Every table has the trigger: test/unit/store-read-cache.test.ts
    // fails for a table a later migration adds without it.
    sql: '',
    dialects: {
      sqlite: () => [],
      postgres: () => [
        'CREATE TABLE change_generation (stripe INTEGER PRIMARY KEY, n BIGINT NOT NULL)',
        'INSERT INTO change_generation (stripe, n) SELECT s, 0 FROM generate_series(0, 15) AS s',
        `CREATE FUNCTION change_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('gatehouse.generation_bumped', true) IS DISTINCT FROM 'yes' THEN
    UPDATE change_generation SET n = n + 1 WHERE stripe = pg_backend_pid() % 16;
    PERFORM set_config('gatehouse.generation_bumped', 'yes', true);
  END IF;
  RETURN NULL;
END $$`,
        `DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
      AND tablename NOT IN (${GENERATION_EXEMPT.map((x) => `'${x}'`).join(', ')}) LOOP
    EXECUTE format('${generationTriggerSql('%I')}', t);
  END LOOP;
END $$`,
      ],
    },
  },
];

/**
 * The tables whose writes leave PostgreSQL's change generation alone (migration 75): the event history, which no
 * cached read looks at and which is written all the time, the migrations' own table and the generation itself.
 */
export const GENERATION_EXEMPT: readonly string[] = ['events', 'event_resources', 'schema_migrations', 'change_generation'];

/** The statement that gives a PostgreSQL table (its name as written in SQL) migration 75's trigger. */
export const generationTriggerSql = (table: string): string =>
  `CREATE CONSTRAINT TRIGGER change_generation AFTER INSERT OR UPDATE OR DELETE ON ${table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION change_generation_bump()`;

/**
 * The migrations of SQLite's separate events database (src/store/index.ts openEventDatabase): the event history's
 * tables only, under the same id. Idempotent statements: several server processes (--workers) may open a new events
 * file at once, and the one that loses the race finds the tables there.
 */
export const eventMigrations: readonly Migration[] = migrations.filter((m) => m.id === 70).map((m) => ({
  ...m,
  sql: m.sql.replace(/CREATE TABLE /g, 'CREATE TABLE IF NOT EXISTS ').replace(/CREATE INDEX /g, 'CREATE INDEX IF NOT EXISTS '),
}));

/** Applies the migrations not yet applied, in order (list: all of them; a test may stop earlier). */
export async function migrate(db: Db, list: readonly Migration[] = migrations): Promise<void> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((await db.all<{ id: number }>('SELECT id FROM schema_migrations')).map((r) => Number(r.id)));
  for (const m of list) {
    if (done.has(m.id)) continue;
    await db.tx(async (tx) => {
      // Another node may be migrating the same database: the primary key makes the loser roll back.
      for (const stmt of m.sql.split(';').map((s) => s.trim()).filter(Boolean)) await tx.run(stmt);
      for (const stmt of m.dialects?.[db.dialect]() ?? []) await tx.run(stmt);
      await tx.run('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)', [m.id, m.name, new Date().toISOString()]);
    });
  }
}
