// Credential report generation time for a large account: fills a fresh database with BENCH_USERS users (default
// 100,000) through the query layer (bench/seed.ts: multi-row INSERTs, in batches), then times the generator — every page
// of users read, the CSV built, the report stored — as GenerateCredentialReport runs it.
//   npm run build && node dist/bench/credential-report.js                SQLite (a temporary data folder)
//   GATEHOUSE_TEST_STORE=postgres node dist/bench/credential-report.js  PostgreSQL (a throwaway database)
//   BENCH_USERS=100000 BENCH_RUNS=3 to change the run
// The data: every user has one access key (used, in us-east-1/iam), every third a second (never used, inactive),
// every second a login profile, every fourth an enabled virtual MFA device; a password policy with MaxPasswordAge.
// Also reported: the longest event-loop stall during a run (how long other requests on the node could wait).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../src/store/index.js';
import { IamStore } from '../src/store/iam-store.js';
import { ReportStore } from '../src/store/report-store.js';
import { runCredentialReport } from '../src/iam/credential-report.js';
import { seedUsers } from './seed.js';
import { createPgDatabase, STORE } from '../test/helpers/server.js';

const USERS = Number(process.env['BENCH_USERS'] ?? 100_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const ACCOUNT = '123456789012';

import type { Tx } from '../src/store/db.js';
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-report-'));
const pgdb = STORE === 'postgres' ? await createPgDatabase() : null;
const db = await openDatabase({ dataDir, databaseUrl: pgdb?.url });
try {
  const t0 = Date.now();
  const base = Date.parse('2025-01-01T00:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  await new IamStore(db).insertAccount({ accountId: ACCOUNT, rootEmail: 'root@example.com', rootPasswordHash: 'x', createdAt: iso(base) });
  await new IamStore(db).setPasswordPolicy(ACCOUNT, {
    MinimumPasswordLength: 8, RequireSymbols: false, RequireNumbers: false, RequireUppercaseCharacters: false, RequireLowercaseCharacters: false,
    AllowUsersToChangePassword: false, ExpirePasswords: true, MaxPasswordAge: 90,
  });
  // bench/seed.ts: in batches (on PostgreSQL one long transaction would make the counters' triggers quadratic).
  await seedUsers(db, ACCOUNT, { users: USERS, base });
  process.stderr.write(`setup: ${USERS} users, keys, profiles and devices on ${STORE} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  const account = await new IamStore(db).getAccount(ACCOUNT);
  if (!account) throw new Error(`no account ${ACCOUNT}`);
  const rs = new ReportStore(db);
  const times: number[] = [];
  const stalls: number[] = [];
  let size = 0;
  for (let r = 0; r < RUNS; r++) {
    const generationId = `bench-${r}`;
    await db.tx(async (tx: Tx) => {
      await rs.ensureRow(ACCOUNT, generationId, iso(Date.now()), tx);
      await rs.startGeneration(ACCOUNT, generationId, iso(Date.now()), tx);
    });
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const start = process.hrtime.bigint();
    await runCredentialReport(db, account, generationId, iso(Date.now()));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    h.disable();
    const stored = await rs.getReportContent(ACCOUNT);
    if (stored?.state !== 'COMPLETE' || stored.contentGenerationId !== generationId || stored.contentBytes === null || stored.contentParts === null) throw new Error('the report was not stored');
    let csv = '';
    const parts = await rs.parts(ACCOUNT, generationId, 0, stored.contentParts);
    if (!parts) throw new Error('the report\'s parts are gone');
    csv += parts.join('');
    times.push(ms);
    stalls.push(h.max / 1e6);
    size = csv.length;
    const lines = csv.split('\n').length - 1;
    if (lines !== USERS + 2) throw new Error(`expected ${USERS + 2} lines, got ${lines}`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!; // of BENCH_RUNS (≥ 1) runs
  const cmd = `${STORE === 'postgres' ? 'GATEHOUSE_TEST_STORE=postgres ' : ''}BENCH_USERS=${USERS} BENCH_RUNS=${RUNS} node dist/bench/credential-report.js`;
  console.log(`credential report, ${USERS} users (${STORE}): median ${(median / 1000).toFixed(2)} s, best ${(times[0]! / 1000).toFixed(2)} s over ${RUNS} runs; `
    + `${(size / 1e6).toFixed(1)} MB of CSV; longest event-loop stall ${Math.max(...stalls).toFixed(0)} ms`);
  console.log(`node ${process.version}, reproduce with: ${cmd}`);
} finally {
  await db.close();
  await pgdb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
