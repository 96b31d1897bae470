// EnableMFADevice and ListMFADevices requests per second through the JS SDK against a started Gatehouse
// process (signed requests, real TOTP codes, the throttle row and the conditional replay write included).
//   npm run build && node dist/bench/mfa-api.js             SQLite, about 20 s
//   GATEHOUSE_TEST_STORE=postgres node dist/bench/mfa-api.js  PostgreSQL (a throwaway database)
//   BENCH_ENABLES=400 BENCH_SECONDS=5 BENCH_CONCURRENCY=16 to change the run
// Setup (users and virtual devices) is not timed. Each EnableMFADevice goes to a different user and device,
// so the figure is the full path: SigV4 check, authorisation, throttle row lock, seed decryption, verification
// of a 4-step window, conditional update, commit.
import os from 'node:os';
import * as I from '@aws-sdk/client-iam';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse, STORE } from '../test/helpers/server.js';
import { iam } from '../test/helpers/clients.js';

const ENABLES = Number(process.env['BENCH_ENABLES'] ?? 400);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const code = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (i < items.length) { const item = items[i++]!; await fn(item); } // i < length just checked
  }));
}

const node = await startGatehouse();
try {
  const client = iam(node);
  process.stderr.write(`setup: ${ENABLES} users and virtual devices on ${STORE}…\n`);
  /** A user and its device: serial and seed once created, then the two enable codes. */
  interface Target { user: string; serial?: string; seed?: string; c1?: string; c2?: string }
  const targets = Array.from({ length: ENABLES }, (_, i): Target => ({ user: `bench-${i}` }));
  await pool(targets, CONCURRENCY, async (tg) => {
    await client.send(new I.CreateUserCommand({ UserName: tg.user }));
    const r = await client.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${tg.user}-phone` }));
    const device = r.VirtualMFADevice;
    if (!device?.SerialNumber || !device.Base32StringSeed) throw new Error('CreateVirtualMFADevice answered no serial or seed');
    tg.serial = device.SerialNumber;
    tg.seed = Buffer.from(device.Base32StringSeed).toString('ascii');
  });

  // EnableMFADevice: every request must succeed
  const t = Date.now();
  for (const tg of targets) { tg.c1 = code(tg.seed ?? '', t); tg.c2 = code(tg.seed ?? '', t + 30_000); }
  let failed = 0;
  const e0 = process.hrtime.bigint();
  await pool(targets, CONCURRENCY, async (tg) => {
    try {
      await client.send(new I.EnableMFADeviceCommand({ UserName: tg.user, SerialNumber: tg.serial, AuthenticationCode1: tg.c1, AuthenticationCode2: tg.c2 }));
    } catch { failed++; }
  });
  const enableSec = Number(process.hrtime.bigint() - e0) / 1e9;
  if (failed) throw new Error(`${failed} EnableMFADevice requests failed`);

  // ListMFADevices for a user, for SECONDS
  let lists = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const l0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    while (Date.now() < deadline) {
      const r = await client.send(new I.ListMFADevicesCommand({ UserName: targets[(lists + w) % targets.length]?.user }));
      if (r.MFADevices?.length !== 1) throw new Error('unexpected ListMFADevices result');
      lists++;
    }
  }));
  const listSec = Number(process.hrtime.bigint() - l0) / 1e9;

  const cmd = `${STORE === 'postgres' ? 'GATEHOUSE_TEST_STORE=postgres ' : ''}BENCH_ENABLES=${ENABLES} BENCH_SECONDS=${SECONDS} BENCH_CONCURRENCY=${CONCURRENCY} node dist/bench/mfa-api.js`;
  console.log(`Gatehouse MFA API, ${STORE}, ${CONCURRENCY} concurrent JS SDK clients in one process, server in another
${os.cpus()[0]?.model}, ${os.cpus().length} CPUs, Node ${process.version}
| operation | requests | seconds | requests/s |
|---|---|---|---|
| EnableMFADevice | ${ENABLES} | ${enableSec.toFixed(2)} | ${(ENABLES / enableSec).toFixed(0)} |
| ListMFADevices | ${lists} | ${listSec.toFixed(2)} | ${(lists / listSec).toFixed(0)} |
reproduce: ${cmd}`);
} finally {
  await node.stop();
}
