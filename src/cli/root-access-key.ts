// `gatehouse root-access-key create | list | delete ID`: the root user's own access keys. On AWS root creates them
// in the console, and so it does in Gatehouse's (Security credentials); this command is kept for automation on the
// server host, with the same store and master key as the server. At most two, like every user's.
import { parseArgs } from 'node:util';
import { openExistingStore } from './store.js';
import { messageOf } from './main.js';
import type { optionValues as OptionValuesOf, OptionSpecs } from './main.js';
import type { Transaction } from '../iam/common.js';

const OPTIONS = {
  data: { type: 'string', env: 'GATEHOUSE_DATA', default: './.gatehouse', help: 'data folder (as for serve)' },
  database: { type: 'string', env: 'GATEHOUSE_DATABASE_URL', default: undefined, help: 'postgres://… when the server uses PostgreSQL' },
} as const satisfies OptionSpecs;

const HELP = `Usage:
  gatehouse root-access-key create [--data DIR] [--database URL]   prints {"accessKeyId","secretAccessKey"} as JSON
  gatehouse root-access-key list   [--data DIR] [--database URL]
  gatehouse root-access-key delete ACCESS_KEY_ID [--data DIR] [--database URL]

The root user's long-term access keys (at most two), for automation on the server host; root also manages them
in the console under Security credentials. AWS recommends not having any: prefer IAM users.
`;

export async function rootAccessKey(argv: readonly string[], optionValues: typeof OptionValuesOf): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || ['--help', '-h', 'help'].includes(sub)) { process.stdout.write(HELP); return sub ? 0 : 2; }
  const o = optionValues(rest, OPTIONS);
  if (o.help) { process.stdout.write(HELP); return 0; }
  const { positionals } = parseArgs({ args: rest, options: { data: { type: 'string' }, database: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true });
  const s = await openExistingStore(o);
  try {
    const { createAccessKey, ACCESS_KEYS_PER_USER } = await import('../iam/access-keys.js');
    const ctx = { db: s.db, store: s.store, secrets: s.secrets, account: s.account, now: new Date() };
    const accountId = s.account.accountId;
    if (sub === 'create') {
      const created = await s.db.tx(async (tx: Transaction) => {
        await s.store.lockAccount(accountId, tx, 'update');
        if (await s.store.countAccessKeys(accountId, null, tx) >= ACCESS_KEYS_PER_USER) {
          throw new Error(`the root user already has ${ACCESS_KEYS_PER_USER} access keys; delete one first`);
        }
        return createAccessKey(ctx, null, tx);
      });
      process.stdout.write(`${JSON.stringify({ accessKeyId: created.row.accessKeyId, secretAccessKey: created.secret })}\n`);
      return 0;
    }
    if (sub === 'list') {
      const rows = await s.store.listAccessKeys(accountId, null, { after: null, limit: 10 });
      for (const k of rows) process.stdout.write(`${k.accessKeyId}\t${k.status}\t${k.createdAt}\n`);
      return 0;
    }
    if (sub === 'delete') {
      const id = positionals[0];
      const key = id && await s.store.getAccessKey(id);
      if (!id || !key || key.accountId !== accountId || key.userId !== null) throw new Error(`no root access key ${id ?? ''}`);
      await s.store.deleteAccessKey(id);
      process.stdout.write(`deleted ${id}\n`);
      return 0;
    }
    process.stderr.write(`gatehouse root-access-key: unknown subcommand '${sub}'\n\n${HELP}`);
    return 2;
  } catch (e) {
    process.stderr.write(`gatehouse root-access-key: ${messageOf(e)}\n`);
    return 1;
  } finally {
    await s.db.close();
  }
}
