// Two Gatehouse processes sharing one PostgreSQL database: a code pair is accepted once across both nodes,
// spent codes stay spent on the other node, and the brute-force lock is shared. (PostgreSQL only.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { TOTP, Secret } from 'otpauth';
import { startTwoNodes, MULTINODE_SKIP } from '../helpers/server.js';
import type { startGatehouse } from '../helpers/server.js';
import { iam, rejects } from '../helpers/clients.js';

type Node = Awaited<ReturnType<typeof startGatehouse>>;
interface Device { serial: string; seed: string }
/** What a failed SDK call rejects with: AWS's error code as its name, the HTTP status in $metadata. */

const skip = MULTINODE_SKIP;
const STEP_MS = 30_000;
const code = (base32: string, tMs: number): string => new TOTP({ secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: tMs });

let nodes: Awaited<ReturnType<typeof startTwoNodes>> | undefined;
let a: Node;
let b: Node;
before(async () => {
  if (skip) return;
  nodes = await startTwoNodes();
  ({ a, b } = nodes);
});
after(async () => { await nodes?.stop(); });

async function setup(name: string): Promise<Device> {
  const ca = iam(a);
  await ca.send(new I.CreateUserCommand({ UserName: name }));
  const r = await ca.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${name}-phone` }));
  return { serial: r.VirtualMFADevice!.SerialNumber!, seed: Buffer.from(r.VirtualMFADevice!.Base32StringSeed!).toString('ascii') };
}
const enableOn = (node: Node, user: string, dev: Device, c1: string | undefined, c2: string | undefined) => iam(node).send(new I.EnableMFADeviceCommand({ UserName: user, SerialNumber: dev.serial, AuthenticationCode1: c1, AuthenticationCode2: c2 }));
const resyncOn = (node: Node, user: string, dev: Device, c1: string, c2: string) => iam(node).send(new I.ResyncMFADeviceCommand({ UserName: user, SerialNumber: dev.serial, AuthenticationCode1: c1, AuthenticationCode2: c2 }));

test('the same code pair sent to both nodes at once is accepted exactly once', { skip }, async () => {
  const dev = await setup('uma');
  const t = Date.now();
  await enableOn(a, 'uma', dev, code(dev.seed, t), code(dev.seed, t + STEP_MS));
  for (let round = 1; round <= 3; round++) {
    const c1 = code(dev.seed, t + 2 * round * STEP_MS);
    const c2 = code(dev.seed, t + (2 * round + 1) * STEP_MS);
    const results = await Promise.allSettled([
      resyncOn(a, 'uma', dev, c1, c2), resyncOn(b, 'uma', dev, c1, c2),
      resyncOn(a, 'uma', dev, c1, c2), resyncOn(b, 'uma', dev, c1, c2),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    assert.equal(ok, 1, `round ${round}: exactly one of four concurrent requests succeeds`);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) assert.equal(r.reason.name, 'InvalidAuthenticationCodeException');
  }
});

test('codes spent on one node are refused on the other; a device enabled on one node is taken on the other', { skip }, async () => {
  const dev = await setup('vera');
  await iam(a).send(new I.CreateUserCommand({ UserName: 'walt' }));
  const t = Date.now();
  const [c1, c2] = [code(dev.seed, t), code(dev.seed, t + STEP_MS)];
  await enableOn(a, 'vera', dev, c1, c2);
  assert.equal((await rejects(enableOn(b, 'walt', dev, code(dev.seed, t + 2 * STEP_MS), code(dev.seed, t + 3 * STEP_MS)))).name, 'EntityAlreadyExistsException');
  await iam(b).send(new I.DeactivateMFADeviceCommand({ UserName: 'vera', SerialNumber: dev.serial }));
  // Node B: the enrolment pair accepted by node A is spent
  assert.equal((await rejects(enableOn(b, 'vera', dev, c1, c2))).name, 'InvalidAuthenticationCodeException');
  assert.equal((await rejects(resyncOn(b, 'vera', dev, c1, c2))).name, 'NoSuchEntityException', 'not assigned any more');
  await enableOn(b, 'vera', dev, code(dev.seed, t + 2 * STEP_MS), code(dev.seed, t + 3 * STEP_MS));
  assert.equal((await rejects(resyncOn(a, 'vera', dev, code(dev.seed, t + 2 * STEP_MS), code(dev.seed, t + 3 * STEP_MS)))).name, 'InvalidAuthenticationCodeException');
});

test('the brute-force lock is shared: failures on both nodes add up, and the lock holds on both', { skip }, async () => {
  const dev = await setup('xena');
  const t = Date.now();
  const right = new Set(Array.from({ length: 11 }, (_, k) => code(dev.seed, t + (k - 5) * STEP_MS)));
  const wrong = ['000000', '111111', '222222', '333333', '444444', '555555', '666666'].filter((c) => !right.has(c));
  for (let i = 0; i < 5; i++) {
    const e = await rejects(enableOn(i % 2 ? b : a, 'xena', dev, wrong[0], wrong[1]));
    assert.equal(e.name, 'InvalidAuthenticationCodeException');
  }
  for (const node of [a, b]) {
    const e = await rejects(enableOn(node, 'xena', dev, code(dev.seed, t), code(dev.seed, t + STEP_MS)));
    assert.equal(e.name, 'InvalidAuthenticationCodeException', 'locked: the right pair fails on either node');
  }
  assert.deepEqual((await iam(b).send(new I.ListMFADevicesCommand({ UserName: 'xena' }))).MFADevices, []);
});
