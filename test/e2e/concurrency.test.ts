// Races the store must put in one serial order: a delete of a user, group, role, managed policy or MFA device
// against a write that hangs something off it (or uses it), and quota checks under concurrent creates.
// Real SDK v3 clients with maxAttempts 1 (no retry hides a 500), both requests of a pair sent at once with
// Promise.all. Every response must be 200 or the AWS error some serial order of the pair gives (DeleteConflict,
// NoSuchEntity, LimitExceeded, EntityAlreadyExists, AccessDenied), never a 5xx; and the store must be consistent
// afterwards, read through the API: no child of a deleted entity, every survivor deletable once its children are
// gone, no quota exceeded. The same races run on one node, under --workers 2 and, on PostgreSQL, across two
// nodes on one database (the delete sent to one node, the other write to the other).
// Each test collects every wrong round before it asserts, so a failure reports how many rounds went wrong.
// Bounded: GATEHOUSE_RACE_ROUNDS rounds (default 6) on one node, a third as many in the other set-ups; raise it
// for a soak run. PostgreSQL's transaction retry is off here (GATEHOUSE_TX_ATTEMPTS=1), so a deadlock shows.
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import * as I from '@aws-sdk/client-iam';
import { STSClient, GetSessionTokenCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { TOTP, Secret } from 'otpauth';
import { startGatehouse, startTwoNodes, STORE } from '../helpers/server.js';

const ROUNDS = Number(process.env.GATEHOUSE_RACE_ROUNDS ?? 6);
const QUOTA_ROUNDS = Math.max(1, Math.ceil(ROUNDS / 4));
const PAIRS = 2; // pairs of each kind racing at once in a round (on different entities)
const STEP = 30_000;
const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const totp = (seed: string, t: number): string => new TOTP({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: t });

type Node = Awaited<ReturnType<typeof startGatehouse>>;
interface Creds { accessKeyId: string; secretAccessKey: string }
/** A call that succeeded, with its answer. */
interface Ok<T> { ok: true; code: 'OK'; status: 200; value: T; message?: undefined }
/** A call that failed: the AWS error code, the HTTP status (0 without one) and the message. */
interface Failed { ok: false; code: string; status: number; message: string | undefined; value?: undefined }
type Outcome<T> = Ok<T> | Failed;
/** What a failed call rejects with: an SDK error (Code or name, $metadata), or another Error (a network failure). */
type Thrown = { Code?: unknown; name?: unknown; message?: string; $metadata?: { httpStatusCode?: number } };

/** { ok, code, status } of one call: code is 'OK' or the AWS error code without the SDK's 'Exception' suffix. */
async function outcome<T>(promise: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, code: 'OK', status: 200, value: await promise };
  } catch (caught) {
    const e = caught as Thrown; // a rejected SDK call: an error object, its fields read with ?? fallbacks
    return { ok: false, code: String(e.Code ?? e.name ?? 'Error').replace(/Exception$/, ''), status: e.$metadata?.httpStatusCode ?? 0, message: e.message };
  }
}
const show = (o: Outcome<unknown>): string => (o.ok ? '200' : `${o.status} ${o.code}`);

/** What went wrong, per race: rounds run, rounds with a problem, and the problems. */
interface Race { rounds: number; bad: number; notes: string[] }
class Findings {
  byRace = new Map<string, Race>();
  race(name: string): Race {
    if (!this.byRace.has(name)) this.byRace.set(name, { rounds: 0, bad: 0, notes: [] });
    return this.byRace.get(name)!; // set just above
  }
  /** Records one round: notes is the list of what was wrong in it (empty = fine). */
  round(name: string, notes: string[]): void {
    const r = this.race(name);
    r.rounds++;
    if (notes.length) { r.bad++; r.notes.push(...notes); }
  }
  report(t: TestContext): void {
    const bad: string[] = [];
    for (const [name, r] of this.byRace) {
      t.diagnostic(`${name}: ${r.bad}/${r.rounds} rounds wrong${r.notes.length ? ` (${summarise(r.notes)})` : ''}`);
      if (r.bad) bad.push(`${name}: ${r.bad}/${r.rounds} rounds wrong: ${summarise(r.notes)}`);
    }
    assert.deepEqual(bad, [], bad.join('\n'));
  }
}
function summarise(notes: string[]): string {
  const counts = new Map<string, number>();
  for (const n of notes) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => (c > 1 ? `${n} ×${c}` : n)).join('; ');
}

/** Checks one response against the codes a serial order allows; a 5xx is always wrong. */
function expectCodes(notes: string[], label: string, o: Outcome<unknown>, allowed: readonly string[]): void {
  if (o.status >= 500 || !allowed.includes(o.code)) notes.push(`${label} answered ${show(o)}${o.status >= 500 || !o.status ? ` (${o.message})` : ''}`);
}
/** A follow-up call that must succeed (consistency read through the API). */
async function mustSucceed<T>(notes: string[], label: string, promise: Promise<T>): Promise<Outcome<T>> {
  const o = await outcome(promise);
  if (!o.ok) notes.push(`then ${label} answered ${show(o)}`);
  return o;
}
async function mustFail<T>(notes: string[], label: string, promise: Promise<T>, code: string): Promise<Outcome<T>> {
  const o = await outcome(promise);
  if (o.code !== code) notes.push(`then ${label} answered ${show(o)}, expected ${code}`);
  return o;
}

// ---------------------------------------------------------------------------------------------------
// Environments: `del` is the client that sends deletes, `other` the one that sends the racing write (another node
// where there are two); `nodeOther` is used for STS calls.

// maxAttempts 1: no retry hides a 500. No keep-alive: a request sent on a kept-alive socket just as the server
// closes it (5 s idle timeout) fails with ECONNRESET (the SDK names it TimeoutError), a failure of the harness.
const clientConfig = (node: Node, creds: Creds) => ({
  endpoint: node.endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1,
  requestHandler: { httpAgent: new Agent({ keepAlive: false }) },
});
const iam = (node: Node, creds: Creds = node.admin): I.IAMClient => new I.IAMClient(clientConfig(node, creds));
const sts = (node: Node, creds: Creds = node.admin): STSClient => new STSClient(clientConfig(node, creds));

// No transaction retry on PostgreSQL: a deadlock must show as the 500 it would be without that safety net.
const ENV = { GATEHOUSE_TX_ATTEMPTS: '1' };

/** Where the races run: `del` sends the deletes, `other` the racing writes, `nodeOther` takes the STS calls. */
interface Env { del: I.IAMClient; other: I.IAMClient; nodeOther: Node; accountId: string; stop: () => Promise<unknown> }

async function oneNode(args: string[] = []): Promise<Env> {
  const n = await startGatehouse({ args, env: ENV });
  return { del: iam(n), other: iam(n), nodeOther: n, accountId: n.accountId, stop: () => n.stop() };
}
async function twoNodes(): Promise<Env> {
  const t = await startTwoNodes({ env: ENV });
  return { del: iam(t.a), other: iam(t.b), nodeOther: t.b, accountId: t.a.accountId, stop: () => t.stop() };
}

interface Device { serial: string; seed: string }
async function newDevice(env: Env, name: string): Promise<Device> {
  const r = await env.del.send(new I.CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }));
  return { serial: r.VirtualMFADevice!.SerialNumber!, seed: Buffer.from(r.VirtualMFADevice!.Base32StringSeed!).toString('ascii') };
}
const enableCmd = (user: string, dev: Device): I.EnableMFADeviceCommand => {
  const now = Date.now();
  return new I.EnableMFADeviceCommand({ UserName: user, SerialNumber: dev.serial, AuthenticationCode1: totp(dev.seed, now - 2 * STEP), AuthenticationCode2: totp(dev.seed, now - STEP) });
};
const policyArn = (env: Env, name: string): string => `arn:aws:iam::${env.accountId}:policy/${name}`;
const createPolicy = (env: Env, name: string): Promise<I.CreatePolicyCommandOutput> => env.del.send(new I.CreatePolicyCommand({ PolicyName: name, PolicyDocument: DOC }));
const TRUST = (env: Env): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${env.accountId}:root` }, Action: 'sts:AssumeRole' }] });

// ---------------------------------------------------------------------------------------------------
// Deleting a parent against a write on it. `blocks`: a successful write leaves something the delete must refuse
// (DeleteConflict) until `undo` removes it; otherwise the delete always succeeds and the write may land before it.
// `prepare` makes what the write needs; `after` checks what must hold once the parent is gone or emptied.

/**
 * One kind of write racing a delete: P is what `prepare` makes, R the write's answer. Members are methods so that
 * a table of different kinds can be held as Write<unknown, unknown> (each def's prep only ever goes back to it).
 */
interface Write<P, R> {
  blocks: boolean;
  allowed?: readonly string[];
  prepare?(env: Env, tag: string): Promise<P>;
  write(env: Env, name: string, prep: P): Promise<R>;
  undo?(env: Env, name: string, w: Ok<R>, prep: P): Promise<unknown>;
  after?(env: Env, notes: string[], prep: P): Promise<unknown>;
}
/** A Write with its P and R inferred from its own members. */
const def = <P = undefined, R = unknown>(d: Write<P, R>): Write<P, R> => d;
type Writes = Record<string, Write<unknown, unknown>>;

const USER_WRITES: Writes = {
  CreateAccessKey: def({
    blocks: true,
    write: (env, u) => env.other.send(new I.CreateAccessKeyCommand({ UserName: u })),
    undo: (env, u, w) => env.del.send(new I.DeleteAccessKeyCommand({ UserName: u, AccessKeyId: w.value.AccessKey!.AccessKeyId })),
  }),
  CreateLoginProfile: def({
    blocks: true,
    write: (env, u) => env.other.send(new I.CreateLoginProfileCommand({ UserName: u, Password: 'Race-Condition-42!' })),
    undo: (env, u) => env.del.send(new I.DeleteLoginProfileCommand({ UserName: u })),
  }),
  PutUserPolicy: def({
    blocks: true,
    write: (env, u) => env.other.send(new I.PutUserPolicyCommand({ UserName: u, PolicyName: 'inline', PolicyDocument: DOC })),
    undo: (env, u) => env.del.send(new I.DeleteUserPolicyCommand({ UserName: u, PolicyName: 'inline' })),
  }),
  AttachUserPolicy: def({
    blocks: true,
    prepare: async (env, tag) => { await createPolicy(env, `p-${tag}`); return { arn: policyArn(env, `p-${tag}`) }; },
    write: (env, u, p) => env.other.send(new I.AttachUserPolicyCommand({ UserName: u, PolicyArn: p.arn })),
    undo: (env, u, w, p) => env.del.send(new I.DetachUserPolicyCommand({ UserName: u, PolicyArn: p.arn })),
    after: async (env, notes, p) => {
      const e = await mustSucceed(notes, 'ListEntitiesForPolicy', env.del.send(new I.ListEntitiesForPolicyCommand({ PolicyArn: p.arn })));
      if (e.ok && e.value.PolicyUsers!.length) notes.push('the policy stays attached to a deleted user');
      await mustSucceed(notes, 'DeletePolicy', env.del.send(new I.DeletePolicyCommand({ PolicyArn: p.arn })));
    },
  }),
  AddUserToGroup: def({
    blocks: true,
    prepare: async (env, tag) => { await env.del.send(new I.CreateGroupCommand({ GroupName: `g-${tag}` })); return { group: `g-${tag}` }; },
    write: (env, u, p) => env.other.send(new I.AddUserToGroupCommand({ UserName: u, GroupName: p.group })),
    undo: (env, u, w, p) => env.del.send(new I.RemoveUserFromGroupCommand({ UserName: u, GroupName: p.group })),
    after: async (env, notes, p) => {
      const g = await mustSucceed(notes, 'GetGroup', env.del.send(new I.GetGroupCommand({ GroupName: p.group })));
      if (g.ok && g.value.Users!.length) notes.push('the group still lists a deleted user');
      await mustSucceed(notes, 'DeleteGroup', env.del.send(new I.DeleteGroupCommand({ GroupName: p.group })));
    },
  }),
  EnableMFADevice: def({
    blocks: true,
    prepare: (env, tag) => newDevice(env, `d-${tag}`),
    write: (env, u, d) => env.other.send(enableCmd(u, d)),
    undo: (env, u, w, d) => env.del.send(new I.DeactivateMFADeviceCommand({ UserName: u, SerialNumber: d.serial })),
    after: (env, notes, d) => mustSucceed(notes, 'DeleteVirtualMFADevice (device left assigned?)', env.del.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: d.serial }))),
  }),
  TagUser: def({
    blocks: false,
    write: (env, u) => env.other.send(new I.TagUserCommand({ UserName: u, Tags: [{ Key: 'team', Value: 'race' }] })),
  }),
  PutUserPermissionsBoundary: def({
    blocks: false,
    prepare: async (env, tag) => { await createPolicy(env, `b-${tag}`); return { arn: policyArn(env, `b-${tag}`) }; },
    write: (env, u, p) => env.other.send(new I.PutUserPermissionsBoundaryCommand({ UserName: u, PermissionsBoundary: p.arn })),
    after: (env, notes, p) => mustSucceed(notes, 'DeletePolicy (boundary of a deleted user?)', env.del.send(new I.DeletePolicyCommand({ PolicyArn: p.arn }))),
  }),
};

const GROUP_WRITES: Writes = {
  AddUserToGroup: def({
    blocks: true,
    prepare: async (env, tag) => { await env.del.send(new I.CreateUserCommand({ UserName: `m-${tag}` })); return { user: `m-${tag}` }; },
    write: (env, g, p) => env.other.send(new I.AddUserToGroupCommand({ GroupName: g, UserName: p.user })),
    undo: (env, g, w, p) => env.del.send(new I.RemoveUserFromGroupCommand({ GroupName: g, UserName: p.user })),
    after: async (env, notes, p) => {
      const l = await mustSucceed(notes, 'ListGroupsForUser', env.del.send(new I.ListGroupsForUserCommand({ UserName: p.user })));
      if (l.ok && l.value.Groups!.length) notes.push('the user is still in a deleted group');
      await mustSucceed(notes, 'DeleteUser (member of a deleted group?)', env.del.send(new I.DeleteUserCommand({ UserName: p.user })));
    },
  }),
  PutGroupPolicy: def({
    blocks: true,
    write: (env, g) => env.other.send(new I.PutGroupPolicyCommand({ GroupName: g, PolicyName: 'inline', PolicyDocument: DOC })),
    undo: (env, g) => env.del.send(new I.DeleteGroupPolicyCommand({ GroupName: g, PolicyName: 'inline' })),
  }),
  AttachGroupPolicy: def({
    blocks: true,
    prepare: async (env, tag) => { await createPolicy(env, `p-${tag}`); return { arn: policyArn(env, `p-${tag}`) }; },
    write: (env, g, p) => env.other.send(new I.AttachGroupPolicyCommand({ GroupName: g, PolicyArn: p.arn })),
    undo: (env, g, w, p) => env.del.send(new I.DetachGroupPolicyCommand({ GroupName: g, PolicyArn: p.arn })),
    after: async (env, notes, p) => {
      const e = await mustSucceed(notes, 'ListEntitiesForPolicy', env.del.send(new I.ListEntitiesForPolicyCommand({ PolicyArn: p.arn })));
      if (e.ok && e.value.PolicyGroups!.length) notes.push('the policy stays attached to a deleted group');
      await mustSucceed(notes, 'DeletePolicy', env.del.send(new I.DeletePolicyCommand({ PolicyArn: p.arn })));
    },
  }),
};

const ROLE_WRITES: Writes = {
  AttachRolePolicy: def({
    blocks: true,
    prepare: async (env, tag) => { await createPolicy(env, `p-${tag}`); return { arn: policyArn(env, `p-${tag}`) }; },
    write: (env, r, p) => env.other.send(new I.AttachRolePolicyCommand({ RoleName: r, PolicyArn: p.arn })),
    undo: (env, r, w, p) => env.del.send(new I.DetachRolePolicyCommand({ RoleName: r, PolicyArn: p.arn })),
    after: async (env, notes, p) => {
      const e = await mustSucceed(notes, 'ListEntitiesForPolicy', env.del.send(new I.ListEntitiesForPolicyCommand({ PolicyArn: p.arn })));
      if (e.ok && e.value.PolicyRoles!.length) notes.push('the policy stays attached to a deleted role');
      await mustSucceed(notes, 'DeletePolicy', env.del.send(new I.DeletePolicyCommand({ PolicyArn: p.arn })));
    },
  }),
  PutRolePolicy: def({
    blocks: true,
    write: (env, r) => env.other.send(new I.PutRolePolicyCommand({ RoleName: r, PolicyName: 'inline', PolicyDocument: DOC })),
    undo: (env, r) => env.del.send(new I.DeleteRolePolicyCommand({ RoleName: r, PolicyName: 'inline' })),
  }),
  PutRolePermissionsBoundary: def({
    blocks: false,
    prepare: async (env, tag) => { await createPolicy(env, `b-${tag}`); return { arn: policyArn(env, `b-${tag}`) }; },
    write: (env, r, p) => env.other.send(new I.PutRolePermissionsBoundaryCommand({ RoleName: r, PermissionsBoundary: p.arn })),
    after: (env, notes, p) => mustSucceed(notes, 'DeletePolicy (boundary of a deleted role?)', env.del.send(new I.DeletePolicyCommand({ PolicyArn: p.arn }))),
  }),
  AssumeRole: def({
    blocks: false,
    allowed: ['OK', 'AccessDenied'],
    write: (env, r) => sts(env.nodeOther).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${env.accountId}:role/${r}`, RoleSessionName: 'race' })),
  }),
};

/** Outcomes of two calls sent at once; odd pairs send the second one first, so each side sometimes leads. */
async function race<A, B>(k: number, first: () => Promise<A>, second: () => Promise<B>): Promise<[Outcome<A>, Outcome<B>]> {
  if (k % 2) {
    const [b, a] = await Promise.all([outcome(second()), outcome(first())]);
    return [a, b];
  }
  return Promise.all([outcome(first()), outcome(second())]);
}

/** [kind, definition, index] for PAIRS pairs of every kind. */
const pairsOf = <D>(defs: Record<string, D>): [string, D, number][] => Object.entries(defs).flatMap(([kind, d]) => Array.from({ length: PAIRS }, (_, k): [string, D, number] => [kind, d, k]));

/** One round of "delete the parent" against each kind of write, every pair racing at once. */
/** A kind of parent entity: its name in the API's operations, the writes racing its delete, and its calls. */
interface Parent {
  entity: string;
  writes: Writes;
  create: (env: Env, n: string) => Promise<unknown>;
  remove: (c: I.IAMClient, n: string) => Promise<unknown>;
  get: (c: I.IAMClient, n: string) => Promise<unknown>;
}
async function deleteRound(env: Env, findings: Findings, { entity, writes, create, remove, get, round, prefix }: Parent & { round: number; prefix: string }): Promise<void> {
  await Promise.all(pairsOf(writes).map(async ([kind, W, k]) => {
    const tag = `${prefix}${round}${k}-${kind}`.slice(0, 60);
    const name = `${entity[0]}-${tag}`.slice(0, 60);
    const notes: string[] = [];
    await create(env, name);
    const prep = W.prepare ? await W.prepare(env, tag) : undefined;
    const [del, w] = await race(k, () => remove(env.del, name), () => W.write(env, name, prep));
    expectCodes(notes, `Delete${entity}`, del, W.blocks ? ['OK', 'DeleteConflict'] : ['OK']);
    expectCodes(notes, kind, w, W.allowed ?? ['OK', 'NoSuchEntity']);
    if (W.blocks && del.ok && w.ok) notes.push(`both succeeded: ${kind} on a deleted ${entity.toLowerCase()}`);
    if (W.blocks && del.code === 'DeleteConflict' && !w.ok) notes.push(`Delete${entity} refused though ${kind} failed`);
    // The store afterwards (when the race itself answered sensibly enough to know what to expect).
    let gone = del.ok;
    if (del.ok) {
      await mustFail(notes, `Get${entity}`, get(env.del, name), 'NoSuchEntity');
    } else if (del.code === 'DeleteConflict') {
      if (w.ok && W.undo) await mustSucceed(notes, `undo ${kind}`, W.undo(env, name, w, prep));
      gone = (await mustSucceed(notes, `Delete${entity} once emptied`, remove(env.del, name))).ok;
    }
    if (gone && W.after) await W.after(env, notes, prep);
    findings.round(`Delete${entity} vs ${kind}`, notes);
  }));
}

const USER: Parent = {
  entity: 'User',
  writes: USER_WRITES,
  create: (env, n) => env.del.send(new I.CreateUserCommand({ UserName: n })),
  remove: (c, n) => c.send(new I.DeleteUserCommand({ UserName: n })),
  get: (c, n) => c.send(new I.GetUserCommand({ UserName: n })),
};
const GROUP: Parent = {
  entity: 'Group',
  writes: GROUP_WRITES,
  create: (env, n) => env.del.send(new I.CreateGroupCommand({ GroupName: n })),
  remove: (c, n) => c.send(new I.DeleteGroupCommand({ GroupName: n })),
  get: (c, n) => c.send(new I.GetGroupCommand({ GroupName: n })),
};
const ROLE: Parent = {
  entity: 'Role',
  writes: ROLE_WRITES,
  create: (env, n) => env.del.send(new I.CreateRoleCommand({ RoleName: n, AssumeRolePolicyDocument: TRUST(env) })),
  remove: (c, n) => c.send(new I.DeleteRoleCommand({ RoleName: n })),
  get: (c, n) => c.send(new I.GetRoleCommand({ RoleName: n })),
};

// DeletePolicy against what makes a policy undeletable: an attachment or a permissions-boundary use.
/** What makes a policy undeletable, with the entity it hangs off. */
interface PolicyUse {
  make: (env: Env, n: string) => Promise<unknown>;
  write: (env: Env, n: string, arn: string) => Promise<unknown>;
  undo: (env: Env, n: string, arn: string) => Promise<unknown>;
  drop: (env: Env, n: string) => Promise<unknown>;
}
const POLICY_USES: Record<string, PolicyUse> = {
  AttachUserPolicy: {
    make: (env, n) => env.del.send(new I.CreateUserCommand({ UserName: n })),
    write: (env, n, arn) => env.other.send(new I.AttachUserPolicyCommand({ UserName: n, PolicyArn: arn })),
    undo: (env, n, arn) => env.del.send(new I.DetachUserPolicyCommand({ UserName: n, PolicyArn: arn })),
    drop: (env, n) => env.del.send(new I.DeleteUserCommand({ UserName: n })),
  },
  AttachGroupPolicy: {
    make: (env, n) => env.del.send(new I.CreateGroupCommand({ GroupName: n })),
    write: (env, n, arn) => env.other.send(new I.AttachGroupPolicyCommand({ GroupName: n, PolicyArn: arn })),
    undo: (env, n, arn) => env.del.send(new I.DetachGroupPolicyCommand({ GroupName: n, PolicyArn: arn })),
    drop: (env, n) => env.del.send(new I.DeleteGroupCommand({ GroupName: n })),
  },
  AttachRolePolicy: {
    make: (env, n) => env.del.send(new I.CreateRoleCommand({ RoleName: n, AssumeRolePolicyDocument: TRUST(env) })),
    write: (env, n, arn) => env.other.send(new I.AttachRolePolicyCommand({ RoleName: n, PolicyArn: arn })),
    undo: (env, n, arn) => env.del.send(new I.DetachRolePolicyCommand({ RoleName: n, PolicyArn: arn })),
    drop: (env, n) => env.del.send(new I.DeleteRoleCommand({ RoleName: n })),
  },
  PutUserPermissionsBoundary: {
    make: (env, n) => env.del.send(new I.CreateUserCommand({ UserName: n })),
    write: (env, n, arn) => env.other.send(new I.PutUserPermissionsBoundaryCommand({ UserName: n, PermissionsBoundary: arn })),
    undo: (env, n) => env.del.send(new I.DeleteUserPermissionsBoundaryCommand({ UserName: n })),
    drop: (env, n) => env.del.send(new I.DeleteUserCommand({ UserName: n })),
  },
};

async function deletePolicyRound(env: Env, findings: Findings, round: number, prefix: string): Promise<void> {
  await Promise.all(pairsOf(POLICY_USES).map(async ([kind, U, k]) => {
    const tag = `${prefix}${round}${k}-${kind}`;
    const notes: string[] = [];
    await createPolicy(env, `dp-${tag}`);
    const arn = policyArn(env, `dp-${tag}`);
    await U.make(env, `e-${tag}`);
    const [del, w] = await race(k, () => env.del.send(new I.DeletePolicyCommand({ PolicyArn: arn })), () => U.write(env, `e-${tag}`, arn));
    expectCodes(notes, 'DeletePolicy', del, ['OK', 'DeleteConflict']);
    expectCodes(notes, kind, w, ['OK', 'NoSuchEntity']);
    if (del.ok && w.ok) notes.push(`both succeeded: ${kind} with a deleted policy`);
    if (del.code === 'DeleteConflict' && !w.ok) notes.push(`DeletePolicy refused though ${kind} failed`);
    let gone = del.ok;
    if (del.ok) {
      await mustFail(notes, 'GetPolicy', env.del.send(new I.GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntity');
    } else if (del.code === 'DeleteConflict') {
      if (w.ok) await mustSucceed(notes, `undo ${kind}`, U.undo(env, `e-${tag}`, arn));
      gone = (await mustSucceed(notes, 'DeletePolicy once unused', env.del.send(new I.DeletePolicyCommand({ PolicyArn: arn })))).ok;
    }
    // Nothing may point at a policy that is gone: the entity must be deletable as it is.
    if (gone) await mustSucceed(notes, 'deleting the entity (left pointing at a deleted policy?)', U.drop(env, `e-${tag}`));
    findings.round(`DeletePolicy vs ${kind}`, notes);
  }));
}

// An administrator's DeactivateMFADevice against the user's own GetSessionToken with a code from that device
// (the device row and the user's throttle row, locked by both).
async function deactivateRound(env: Env, findings: Findings, round: number, prefix: string): Promise<void> {
  await Promise.all(Array.from({ length: PAIRS }, (_, k) => deactivatePair(env, findings, `${prefix}${round}-${k}`)));
}
async function deactivatePair(env: Env, findings: Findings, tag: string): Promise<void> {
  const user = `mfa-${tag}`;
  const notes: string[] = [];
  await env.del.send(new I.CreateUserCommand({ UserName: user }));
  const AccessKey = (await env.del.send(new I.CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
  const creds = { accessKeyId: AccessKey.AccessKeyId!, secretAccessKey: AccessKey.SecretAccessKey! };
  const dev = await newDevice(env, `${user}-phone`);
  await env.del.send(enableCmd(user, dev));
  const code = totp(dev.seed, Date.now());
  const userSts = sts(env.nodeOther, creds);
  const [deact, ...gets] = await Promise.all([
    outcome(env.del.send(new I.DeactivateMFADeviceCommand({ UserName: user, SerialNumber: dev.serial }))),
    ...[1, 2, 3].map(() => outcome(userSts.send(new GetSessionTokenCommand({ SerialNumber: dev.serial, TokenCode: code })))),
  ]);
  expectCodes(notes, 'DeactivateMFADevice', deact, ['OK']);
  for (const g of gets) expectCodes(notes, 'GetSessionToken', g, ['OK', 'AccessDenied']);
  if (gets.filter((g) => g.ok).length > 1) notes.push('one code accepted twice');
  if (deact.ok) {
    const l = await mustSucceed(notes, 'ListMFADevices', env.del.send(new I.ListMFADevicesCommand({ UserName: user })));
    if (l.ok && l.value.MFADevices!.length) notes.push('device still listed after DeactivateMFADevice answered 200');
    await mustSucceed(notes, 'DeleteVirtualMFADevice', env.del.send(new I.DeleteVirtualMFADeviceCommand({ SerialNumber: dev.serial })));
  }
  findings.round('DeactivateMFADevice (admin) vs GetSessionToken (user)', notes);
}

// ---------------------------------------------------------------------------------------------------
// Quotas under concurrent creates: exactly the quota succeeds, the rest answer LimitExceeded.

/** Sends every call at once (alternating between the two clients) and checks the counts. */
async function quotaRace(findings: Findings, name: string, calls: (() => Promise<unknown>)[], quota: number, count: () => Promise<number>): Promise<void> {
  const notes: string[] = [];
  const results = await Promise.all(calls.map((c) => outcome(c())));
  for (const r of results) expectCodes(notes, name, r, ['OK', 'LimitExceeded']);
  const ok = results.filter((r) => r.ok).length;
  if (ok !== quota) notes.push(`${ok} of ${calls.length} succeeded, quota ${quota}`);
  const n = await outcome(count());
  if (!n.ok) notes.push(`then counting answered ${show(n)}`);
  else if (n.value !== quota) notes.push(`${n.value} stored, quota ${quota}`);
  findings.round(`${name} quota`, notes);
}

interface Shared { policies: string[]; groups: string[] }
async function quotaRound(env: Env, findings: Findings, round: number, prefix: string, shared: Shared): Promise<void> {
  const pick = (i: number): I.IAMClient => (i % 2 ? env.other : env.del);
  const u = (what: string): string => `q-${prefix}${round}-${what}`;
  for (const what of ['keys', 'mfa', 'pol', 'grp', 'a', 'b']) await env.del.send(new I.CreateUserCommand({ UserName: u(what) }));
  const devices = await Promise.all(Array.from({ length: 10 }, (_, i) => newDevice(env, `${u('mfa')}-${i}`)));
  const verPolicy = `qv-${prefix}${round}`;
  await createPolicy(env, verPolicy);
  const same = await newDevice(env, `${u('same')}`);
  await Promise.all([
    quotaRace(findings, 'CreateAccessKey', Array.from({ length: 5 }, (_, i) => () => pick(i).send(new I.CreateAccessKeyCommand({ UserName: u('keys') }))), 2,
      async () => (await env.del.send(new I.ListAccessKeysCommand({ UserName: u('keys') }))).AccessKeyMetadata!.length),
    quotaRace(findings, 'EnableMFADevice', devices.map((d, i) => () => pick(i).send(enableCmd(u('mfa'), d))), 8,
      async () => (await env.del.send(new I.ListMFADevicesCommand({ UserName: u('mfa') }))).MFADevices!.length),
    quotaRace(findings, 'AttachUserPolicy', shared.policies.map((arn, i) => () => pick(i).send(new I.AttachUserPolicyCommand({ UserName: u('pol'), PolicyArn: arn }))), 10,
      async () => (await env.del.send(new I.ListAttachedUserPoliciesCommand({ UserName: u('pol') }))).AttachedPolicies!.length),
    quotaRace(findings, 'AddUserToGroup', shared.groups.map((g, i) => () => pick(i).send(new I.AddUserToGroupCommand({ UserName: u('grp'), GroupName: g }))), 10,
      async () => (await env.del.send(new I.ListGroupsForUserCommand({ UserName: u('grp') }))).Groups!.length),
    quotaRace(findings, 'CreatePolicyVersion', Array.from({ length: 7 }, (_, i) => () => pick(i).send(new I.CreatePolicyVersionCommand({ PolicyArn: policyArn(env, verPolicy), PolicyDocument: DOC }))), 4,
      async () => (await env.del.send(new I.ListPolicyVersionsCommand({ PolicyArn: policyArn(env, verPolicy) }))).Versions!.length - 1),
    (async () => {
      // One device enabled for two users at once: exactly one gets it.
      const notes: string[] = [];
      const rs = await Promise.all([outcome(env.del.send(enableCmd(u('a'), same))), outcome(env.other.send(enableCmd(u('b'), same)))]);
      for (const r of rs) expectCodes(notes, 'EnableMFADevice', r, ['OK', 'EntityAlreadyExists']);
      if (rs.filter((r) => r.ok).length !== 1) notes.push(`${rs.filter((r) => r.ok).length} of 2 succeeded`);
      let owners = 0;
      for (const who of ['a', 'b']) {
        const l = await mustSucceed(notes, 'ListMFADevices', env.del.send(new I.ListMFADevicesCommand({ UserName: u(who) })));
        if (l.ok) owners += l.value.MFADevices!.length;
      }
      if (owners !== 1) notes.push(`the device is listed for ${owners} users`);
      findings.round('EnableMFADevice of one serial by two users', notes);
    })(),
  ]);
}

async function sharedFixtures(env: Env, prefix: string): Promise<Shared> {
  const policies: string[] = [];
  const groups: string[] = [];
  for (let i = 0; i < 13; i++) {
    await createPolicy(env, `qp-${prefix}${i}`);
    policies.push(policyArn(env, `qp-${prefix}${i}`));
    await env.del.send(new I.CreateGroupCommand({ GroupName: `qg-${prefix}${i}` }));
    groups.push(`qg-${prefix}${i}`);
  }
  return { policies, groups };
}

async function runAll(t: TestContext, env: Env, rounds: number): Promise<void> {
  const findings = new Findings();
  const ms: Record<string, number> = {};
  const timed = async (phase: string, fn: () => Promise<unknown>): Promise<void> => { const t0 = Date.now(); await fn(); ms[phase] = (ms[phase] ?? 0) + Date.now() - t0; };
  for (let r = 1; r <= rounds; r++) {
    await timed('DeleteUser', () => deleteRound(env, findings, { ...USER, round: r, prefix: 'u' }));
    await timed('DeleteGroup', () => deleteRound(env, findings, { ...GROUP, round: r, prefix: 'g' }));
    await timed('DeleteRole', () => deleteRound(env, findings, { ...ROLE, round: r, prefix: 'r' }));
    await timed('DeletePolicy', () => deletePolicyRound(env, findings, r, 'p'));
    await timed('DeactivateMFADevice', () => deactivateRound(env, findings, r, 'm'));
  }
  let shared: Shared | undefined;
  await timed('quota fixtures', async () => { shared = await sharedFixtures(env, 's'); });
  for (let r = 1; r <= QUOTA_ROUNDS; r++) await timed('quotas', () => quotaRound(env, findings, r, 'q', shared!)); // set by the fixtures phase just above
  t.diagnostic(`time per phase (ms): ${JSON.stringify(ms)}`);
  findings.report(t);
}

const SETUPS: { name: string; start: () => Promise<Env>; rounds: number; skip?: string | false }[] = [
  { name: 'one node', start: () => oneNode(), rounds: ROUNDS },
  { name: '--workers 2', start: () => oneNode(['--workers', '2']), rounds: Math.ceil(ROUNDS / 3) },
  { name: 'two nodes on one database', start: twoNodes, rounds: Math.ceil(ROUNDS / 3), skip: STORE === 'postgres' ? false : 'needs PostgreSQL: SQLite serves one node' },
];

for (const s of SETUPS) {
  test(`${STORE}, ${s.name}: racing deletes, writes and quota checks answer no 5xx and leave the store consistent`, { skip: s.skip ?? false, timeout: 120_000 }, async (t) => {
    const env = await s.start();
    try {
      await runAll(t, env, s.rounds);
    } finally {
      await env.stop();
    }
  });
}
