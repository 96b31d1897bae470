// The counters GetAccountSummary, the account-wide quotas and the policy listings read instead of counting whole
// tables (migration 60). Triggers keep them: every INSERT, DELETE or relevant UPDATE of a counted row adds its
// delta to the counter in the same statement's transaction, as an upsert (atomic on both stores: SQLite has one
// writer; PostgreSQL's ON CONFLICT DO UPDATE row-locks the counter, so concurrent writers on any node add up).
// A trigger's counter row is the last lock its transaction takes (docs/concurrency.md), so it adds no deadlock.
import type { Dialect } from './db.js';

/** A row reference inside a trigger (NEW, OLD) or a table alias in the backfill. */
type RowRef = string;

/** One account-wide counter: the rows of its table for which `when` holds. */
interface Counter { readonly name: CounterName; readonly when: (r: RowRef) => string }
/** A column naming a policy: each row with it set adds one to that policy's `field` in policy_usage. */
interface Usage { readonly column: string; readonly field: 'attachments' | 'boundaries' }
interface Counted {
  readonly table: string;
  readonly counters: readonly Counter[];
  readonly usage?: Usage;
  /** The columns whose change can move a row in or out of a counter (an UPDATE of other columns costs nothing). */
  readonly updateOf?: readonly string[];
}

/** The counters account_counters holds (name column). */
export const COUNTER_NAMES = [
  'users', 'groups', 'roles', 'policies', 'policy_attachments', 'root_access_keys', 'mfa_devices', 'mfa_devices_in_use', 'root_mfa_devices',
] as const;
export type CounterName = typeof COUNTER_NAMES[number];

const always = (): string => '1 = 1';
const COUNTED: readonly Counted[] = [
  { table: 'users', counters: [{ name: 'users', when: always }], usage: { column: 'permissions_boundary', field: 'boundaries' }, updateOf: ['permissions_boundary'] },
  { table: 'groups_', counters: [{ name: 'groups', when: always }] },
  { table: 'roles', counters: [{ name: 'roles', when: always }], usage: { column: 'permissions_boundary', field: 'boundaries' }, updateOf: ['permissions_boundary'] },
  { table: 'managed_policies', counters: [{ name: 'policies', when: always }] },
  // Managed-policy attachments to users, groups and roles (GetAccountSummary's PolicyVersionsInUse).
  { table: 'policy_attachments', counters: [{ name: 'policy_attachments', when: always }], usage: { column: 'policy_arn', field: 'attachments' } },
  { table: 'access_keys', counters: [{ name: 'root_access_keys', when: (r) => `${r}.user_id IS NULL` }] },
  {
    table: 'mfa_devices',
    counters: [
      // Hardware tokens count once assigned; unassigned ones are inventory, not devices (as on AWS).
      { name: 'mfa_devices', when: (r) => `(${r}.kind = 'virtual' OR ${r}.owner_type IS NOT NULL)` },
      { name: 'mfa_devices_in_use', when: (r) => `${r}.owner_type IS NOT NULL` },
      { name: 'root_mfa_devices', when: (r) => `${r}.owner_type = 'root'` },
    ],
    updateOf: ['kind', 'owner_type'],
  },
];

const one = (c: Counter, r: RowRef): string => `(CASE WHEN ${c.when(r)} THEN 1 ELSE 0 END)`;

/** Adds delta (an SQL expression) to the counter of the account in `acct`; nothing when it is 0. */
const addCounter = (acct: string, name: CounterName, delta: string): string =>
  `INSERT INTO account_counters (account_id, name, n) SELECT ${acct}, '${name}', d FROM (SELECT ${delta} AS d) delta WHERE d <> 0
    ON CONFLICT (account_id, name) DO UPDATE SET n = account_counters.n + excluded.n`;

/** Adds sign to the usage of the policy row r names (if it names one). */
const addUsage = (u: Usage, r: RowRef, sign: 1 | -1): string =>
  `INSERT INTO policy_usage (account_id, policy_arn, attachments, boundaries)
    SELECT ${r}.account_id, ${r}.${u.column}, ${u.field === 'attachments' ? sign : 0}, ${u.field === 'boundaries' ? sign : 0} WHERE ${r}.${u.column} IS NOT NULL
    ON CONFLICT (account_id, policy_arn) DO UPDATE SET attachments = policy_usage.attachments + excluded.attachments, boundaries = policy_usage.boundaries + excluded.boundaries`;

type Op = 'insert' | 'delete' | 'update';
function bodyFor(t: Counted, op: Op): string[] {
  const out: string[] = [];
  for (const c of t.counters) {
    if (op === 'insert') out.push(addCounter('NEW.account_id', c.name, one(c, 'NEW')));
    else if (op === 'delete') out.push(addCounter('OLD.account_id', c.name, `-${one(c, 'OLD')}`));
    else if (t.updateOf?.length) out.push(addCounter('NEW.account_id', c.name, `${one(c, 'NEW')} - ${one(c, 'OLD')}`));
  }
  if (t.usage) {
    if (op !== 'insert') out.push(addUsage(t.usage, 'OLD', -1));
    if (op !== 'delete') out.push(addUsage(t.usage, 'NEW', 1));
  }
  return out;
}

/** The backfill: each counter and usage from the rows already stored. */
function backfill(): string[] {
  const out: string[] = [];
  for (const t of COUNTED) {
    for (const c of t.counters) {
      out.push(`INSERT INTO account_counters (account_id, name, n) SELECT t.account_id, '${c.name}', COUNT(*) FROM ${t.table} t WHERE ${c.when('t')} GROUP BY t.account_id`);
    }
    const u = t.usage;
    if (u) {
      out.push(`INSERT INTO policy_usage (account_id, policy_arn, attachments, boundaries)
        SELECT t.account_id, t.${u.column}, ${u.field === 'attachments' ? 'COUNT(*)' : '0'}, ${u.field === 'boundaries' ? 'COUNT(*)' : '0'}
        FROM ${t.table} t WHERE t.${u.column} IS NOT NULL GROUP BY t.account_id, t.${u.column}
        ON CONFLICT (account_id, policy_arn) DO UPDATE SET attachments = policy_usage.attachments + excluded.attachments, boundaries = policy_usage.boundaries + excluded.boundaries`);
    }
  }
  return out;
}

const changed = (t: Counted, dialect: Dialect): string =>
  (t.updateOf ?? []).map((c) => (dialect === 'postgres' ? `OLD.${c} IS DISTINCT FROM NEW.${c}` : `OLD.${c} IS NOT NEW.${c}`)).join(' OR ');

/**
 * Migration 60's statements for one dialect (each complete: trigger bodies hold semicolons, so they are not split):
 * bytewise path indexes for PathPrefix range scans, the backfill, then the triggers.
 */
export function countersSql(dialect: Dialect): string[] {
  // PostgreSQL compares text by the database's collation, which need not be bytewise; a prefix range needs "C".
  const bytewise = dialect === 'postgres' ? ' COLLATE "C"' : '';
  const out = ['users', 'groups_', 'roles'].map((t) => `CREATE INDEX ${t.replace(/_$/, '')}_path ON ${t}(account_id, path${bytewise}, name_lc)`);
  out.push(...backfill());
  for (const t of COUNTED) {
    const name = `${t.table.replace(/_$/, '')}_counters`;
    if (dialect === 'sqlite') {
      out.push(`CREATE TRIGGER ${name}_insert AFTER INSERT ON ${t.table} BEGIN ${bodyFor(t, 'insert').join(';\n')}; END`);
      out.push(`CREATE TRIGGER ${name}_delete AFTER DELETE ON ${t.table} BEGIN ${bodyFor(t, 'delete').join(';\n')}; END`);
      if (t.updateOf?.length) {
        out.push(`CREATE TRIGGER ${name}_update AFTER UPDATE OF ${t.updateOf.join(', ')} ON ${t.table} WHEN ${changed(t, dialect)} BEGIN ${bodyFor(t, 'update').join(';\n')}; END`);
      }
    } else {
      const branch = (op: Op): string => `${bodyFor(t, op).join(';\n')};`;
      out.push(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN ${branch('insert')}
  ELSIF TG_OP = 'DELETE' THEN ${branch('delete')}
  ${t.updateOf?.length ? `ELSE ${branch('update')}` : ''}
  END IF;
  RETURN NULL;
END $$`);
      out.push(`CREATE TRIGGER ${name}_insert_delete AFTER INSERT OR DELETE ON ${t.table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
      if (t.updateOf?.length) {
        out.push(`CREATE TRIGGER ${name}_update AFTER UPDATE OF ${t.updateOf.join(', ')} ON ${t.table} FOR EACH ROW WHEN (${changed(t, dialect)}) EXECUTE FUNCTION ${name}()`);
      }
    }
  }
  return out;
}
