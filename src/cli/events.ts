// gatehouse events: the event history on the server host, as CloudTrail JSON lines (one record a line, oldest
// first), from the same store as the server (--data / --database). --follow keeps printing new events as the
// server writes them (polling the store), so `gatehouse events --follow | jq` watches the trail live.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventFilterKey } from '../store/event-store.js';

const HELP = `Usage: gatehouse events [--follow] [--since WHEN] [--until WHEN] [--user NAME] [--event-name NAME]
                        [--account ID] [--data DIR] [--database URL]

Prints the event history (CloudTrail records) as JSON lines, oldest first.

  --since WHEN       from this time: ISO-8601 (2026-11-30T10:00:00Z) or an age (30m, 2h, 7d); default 24h
  --until WHEN       up to this time (same forms); default now
  --user NAME        only events of this user name ("root" for the root user, a session name for a role)
  --event-name NAME  only events with this eventName (CreateUser, ConsoleLogin, …)
  --account ID       only events of this account
  --follow, -f       keep printing new events as they are recorded (Ctrl-C stops)
  --data DIR         data folder, as for serve (env GATEHOUSE_DATA, default ./.gatehouse)
  --database URL     postgres://… when the server uses PostgreSQL (env GATEHOUSE_DATABASE_URL)
`;

const POLL_MS = 1000;
// Events are written in batches a moment after they happen: a follow re-reads this far back and skips ids seen.
const FOLLOW_OVERLAP_MS = 10_000;

/** A time from --since/--until: ISO-8601, or an age before now (30s, 15m, 2h, 7d). */
export function parseWhen(value: string, now: number): number {
  const age = /^(\d+)([smhd])$/.exec(value.trim());
  if (age) return now - Number(age[1]) * { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[age[2] as 's' | 'm' | 'h' | 'd']; // the pattern allows only these units
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`'${value}' is not a time: give ISO-8601 (2026-11-30T10:00:00Z) or an age (30m, 2h, 7d)`);
  return t;
}

export async function events(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      follow: { type: 'boolean', short: 'f' },
      since: { type: 'string' },
      until: { type: 'string' },
      user: { type: 'string' },
      'event-name': { type: 'string' },
      account: { type: 'string' },
      data: { type: 'string' },
      database: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(HELP); return 0; }
  const now = Date.now();
  const from = parseWhen(values.since ?? '24h', now);
  const until = values.until !== undefined ? parseWhen(values.until, now) : undefined;
  const dataDir = resolve(values.data ?? process.env.GATEHOUSE_DATA ?? './.gatehouse');
  const databaseUrl = values.database ?? process.env.GATEHOUSE_DATABASE_URL;
  if (!databaseUrl && !existsSync(join(dataDir, 'gatehouse.db'))) {
    throw new Error(`no Gatehouse store in ${dataDir}: pass --data (or --database) as given to gatehouse serve`);
  }
  const filters: { key: EventFilterKey; value: string }[] = [];
  if (values.user !== undefined) filters.push({ key: 'Username', value: values.user });
  if (values['event-name'] !== undefined) filters.push({ key: 'EventName', value: values['event-name'] });

  const { openDatabase, openEventDatabase } = await import('../store/index.js');
  const { EventStore } = await import('../store/event-store.js');
  const main = await openDatabase({ dataDir, databaseUrl });
  // SQLite keeps the events in a file of their own (events.db); PostgreSQL in the main database.
  const events = await openEventDatabase({ dataDir, databaseUrl }, main).catch(async (e: unknown) => { await main.close(); throw e; });
  const db = events.db;
  const store = new EventStore(db);
  let stop = false;
  const onSignal = (): void => { stop = true; };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let after: { time: number; id: string } | undefined;
    const seen = new Map<string, number>(); // event id → time, for the follow overlap
    let lowest = from;
    for (;;) {
      const to = until ?? Date.now();
      const rows = await store.query({ accountId: values.account, from: lowest, to, filters, after, order: 'oldest', limit: 1000 });
      let out = '';
      for (const r of rows) {
        if (seen.has(r.id)) continue;
        out += `${r.record}\n`;
        if (values.follow) seen.set(r.id, r.time);
      }
      if (out && !process.stdout.write(out)) await new Promise((ok) => process.stdout.once('drain', ok));
      const last = rows[rows.length - 1];
      if (rows.length === 1000 && last) { after = { time: last.time, id: last.id }; continue; }
      if (!values.follow || stop) break;
      // Following: read again from a little before now; forget what is older than that window.
      after = undefined;
      lowest = Math.max(from, Date.now() - FOLLOW_OVERLAP_MS);
      for (const [id, t] of seen) if (t < lowest) seen.delete(id);
      await new Promise((ok) => setTimeout(ok, POLL_MS));
      if (stop) break;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (db !== main) await db.close();
    await main.close();
  }
  return 0;
}
