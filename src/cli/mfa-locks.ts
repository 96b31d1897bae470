// `gatehouse mfa locks [--unlock USER | --unlock-root]`: the principals whose MFA codes are locked (or who have
// failed codes on record), and an administrator's way to lift a lock, on the server host with the server's store.
// Lifting is the same domain function as the lost-phone path (resetMfaThrottle): the counter starts again at zero,
// and a lifted lock is recorded in the event history (MfaCodesUnlocked, invoked by the server host).
import { openExistingStore } from './store.js';
import type { ExistingStore } from './store.js';
import type { EventRecorder } from '../events/recorder.js';
import { messageOf } from './main.js';
import type { optionValues as OptionValuesOf, OptionSpecs } from './main.js';

const OPTIONS = {
  data: { type: 'string', env: 'GATEHOUSE_DATA', default: './.gatehouse', help: 'data folder (as for serve)' },
  database: { type: 'string', env: 'GATEHOUSE_DATABASE_URL', default: undefined, help: 'postgres://… when the server uses PostgreSQL' },
} as const satisfies OptionSpecs;

const HELP = `Usage:
  gatehouse mfa locks [--data DIR] [--database URL] [--config FILE]
  gatehouse mfa locks --unlock USER_NAME
  gatehouse mfa locks --unlock-root

Lists the principals with failed MFA codes on record: locked until when, disabled (100 failures in a row: only an
administrator lifts it), or not locked yet. --unlock lifts an IAM user's lock and clears their failures.
`;

/** --unlock USER and --unlock-root are this command's own (never read from the environment or a file). */
function unlockFlags(argv: readonly string[]): { rest: string[]; unlock: string | undefined; root: boolean } {
  const rest: string[] = [];
  let unlock: string | undefined;
  let root = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!; // i < length
    if (a === '--unlock') {
      unlock = argv[++i];
      if (unlock === undefined || unlock.startsWith('--')) throw new Error('--unlock takes a user name');
    } else if (a.startsWith('--unlock=')) unlock = a.slice('--unlock='.length);
    else if (a === '--unlock-root') root = true;
    else rest.push(a);
  }
  if (unlock !== undefined && root) throw new Error('give --unlock USER or --unlock-root, not both');
  return { rest, unlock, root };
}

/** The event recorder of an admin command: the server's event store, written when the command closes it. */
async function unlockRecorder(s: ExistingStore, o: { readonly data: string; readonly database: string | undefined }): Promise<{ record: EventRecorder['record']; mfaLock: EventRecorder['mfaLock']; close(): Promise<void> }> {
  const { resolve } = await import('node:path');
  const { openEventDatabase } = await import('../store/index.js');
  const { EventStore } = await import('../store/event-store.js');
  const { EventRecorder } = await import('../events/recorder.js');
  const { arn } = await import('../iam/arn.js');
  const events = await openEventDatabase({ dataDir: resolve(o.data), databaseUrl: o.database }, s.db);
  const recorder = new EventRecorder({
    store: new EventStore(events.db),
    logger: { warn: (obj, msg) => { process.stderr.write(`gatehouse mfa locks: ${msg} ${JSON.stringify(obj)}\n`); } },
    async userById(userId) {
      const u = await s.store.getUserById(userId);
      return u ? { name: u.name, arn: arn.user(u.accountId, u.path, u.name) } : undefined;
    },
  });
  return {
    record: (e) => recorder.record(e),
    mfaLock: (c) => recorder.mfaLock(c),
    async close() {
      await recorder.close();
      if (events.db !== s.db) await events.db.close();
    },
  };
}

export async function mfaLocks(argv: readonly string[], optionValues: typeof OptionValuesOf): Promise<number> {
  let o;
  let flags;
  try {
    flags = unlockFlags(argv);
    o = optionValues(flags.rest, OPTIONS);
  } catch (e) {
    process.stderr.write(`gatehouse mfa locks: ${messageOf(e)}\n\n${HELP}`);
    return 2;
  }
  if (o.help) { process.stdout.write(HELP); return 0; }
  const s = await openExistingStore(o);
  try {
    const { isDisabled, isLocked } = await import('../mfa/index.js');
    const { resetMfaThrottle } = await import('../iam/mfa-devices.js');
    const accountId = s.account.accountId;
    const ctx = { db: s.db, mfaStore: s.mfaStore, secrets: s.secrets, account: s.account, now: new Date() };
    if (flags.unlock !== undefined || flags.root) {
      let type: 'user' | 'root';
      let id: string;
      let label: string;
      if (flags.unlock !== undefined) {
        const user = await s.store.getUser(accountId, flags.unlock);
        if (!user) throw new Error(`no IAM user named ${flags.unlock} in account ${accountId}`);
        type = 'user'; id = user.userId; label = `user ${user.name}`;
      } else {
        type = 'root'; id = accountId; label = 'the root user';
      }
      const before = await s.mfaStore.getThrottle(accountId, type, id);
      // The unlock is recorded like the console's (MfaCodesUnlocked), by the host's operator, in the server's store.
      const trail = await unlockRecorder(s, o);
      try {
        await resetMfaThrottle({ ...ctx, events: { record: (e) => trail.record(e), mfaLock: (c) => trail.mfaLock({ ...c, byServerHost: true }) } }, type, id);
      } finally {
        await trail.close();
      }
      const was = isLocked(before, ctx.now.getTime()) ? 'lock lifted' : before.failures > 0 ? 'was not locked; failures cleared' : 'was not locked';
      process.stdout.write(`${label}: ${was}\n`);
      return 0;
    }
    const rows = await s.mfaStore.listThrottles(accountId);
    if (!rows.length) { process.stdout.write(`No failed MFA codes on record in account ${accountId}.\n`); return 0; }
    const now = ctx.now.getTime();
    const lines = rows.map((r) => {
      const who = r.principalType === 'root' ? 'root user' : r.userName !== null ? `user ${r.userName}` : `user id ${r.principalId} (deleted)`;
      const state = isDisabled(r) ? 'DISABLED until unlocked' : isLocked(r, now) ? `LOCKED until ${new Date(r.lockedUntilMs).toISOString()}` : 'not locked';
      return [who, state, String(r.failures)];
    });
    const head = ['PRINCIPAL', 'STATE', 'FAILURES'];
    const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length))); // a cell per column
    const fmt = (l: readonly string[]): string => l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd(); // a width per column
    const locked = rows.filter((r) => isLocked(r, now)).length;
    process.stdout.write(`${[fmt(head), ...lines.map(fmt)].join('\n')}\n${locked} locked; lift one with gatehouse mfa locks --unlock USER_NAME\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`gatehouse mfa locks: ${messageOf(e)}\n`);
    return 1;
  } finally {
    await s.db.close();
  }
}
