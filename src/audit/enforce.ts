// `gatehouse mfa enforce`: roll out "deny everything but enrolment without MFA" without locking people out
// unawares. plan() only reads (and simulates, what-if, with the policy added through PolicyInputList); apply()
// makes the changes the plan lists. Public IAM API only, so it works against any IAM endpoint.
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, CreateGroupCommand, CreatePolicyCommand, GetPolicyCommand, GetPolicyVersionCommand,
  GetUserCommand, paginateGetGroup, paginateListAttachedGroupPolicies,
} from '@aws-sdk/client-iam';
import { ENROLMENT_ACTIONS } from './actions.js';
import { allowedActions, decodePolicyDocument, errorText, getLoginProfile, identify, listMfaDevices, listUsers, MFA_CONTEXT } from './collect.js';
import type { Clients } from './collect.js';
import { describeDevices } from './devices.js';
import { ENFORCEMENT_POLICY, ENFORCEMENT_POLICY_JSON, POLICY_DESCRIPTION } from './enforcement-policy.js';
import { mapPool } from './pool.js';
import type { MfaDevice } from './types.js';

export class EnforceUsageError extends Error {
  override name = 'EnforceUsageError';
}

export interface EnforceOptions {
  readonly group: string;
  readonly createGroup: boolean;
  readonly users?: readonly string[];
  readonly allConsoleUsers: boolean;
  readonly policyName: string;
  readonly concurrency: number;
}

export interface PlannedUser {
  readonly userName: string;
  readonly arn: string;
  readonly alreadyInGroup: boolean;
  readonly consolePassword: boolean | null;
  readonly devices: readonly string[] | null;
  readonly hasDevice: boolean | null;
  /** Sensitive actions allowed without MFA today, and after enforcement; null when simulation is unavailable. */
  readonly allowedWithoutMfaNow: readonly string[] | null;
  readonly allowedWithoutMfaAfter: readonly string[] | null;
  readonly canEnrolAfter: boolean | null;
  /** Locked out of everything but enrolment until they enrol a device. */
  readonly lockedOutUntilEnrolment: boolean;
  readonly outcome: string;
  readonly errors: readonly string[];
}

export interface EnforcePlan {
  readonly account: string;
  readonly group: { readonly name: string; readonly exists: boolean };
  readonly policy: { readonly name: string; readonly arn: string; readonly exists: boolean; readonly sameDocument: boolean | null; readonly attachedToGroup: boolean };
  readonly users: readonly PlannedUser[];
  readonly simulationUnavailable: string | null;
  readonly changes: readonly string[];
  readonly warnings: readonly string[];
}

const errName = (e: unknown): string => (e instanceof Error ? e.name : '');
const noSuchEntity = (e: unknown): boolean => errName(e) === 'NoSuchEntityException' || errName(e) === 'NoSuchEntity';

/** Same policy, whatever the key order and whitespace. */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) =>
  (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

export async function plan(c: Clients, o: EnforceOptions): Promise<EnforcePlan> {
  const id = await identify(c);
  const warnings: string[] = [];
  const changes: string[] = [];

  let groupExists = true;
  const members = new Set<string>();
  try {
    for await (const page of paginateGetGroup({ client: c.iam }, { GroupName: o.group })) for (const u of page.Users ?? []) if (u.UserName) members.add(u.UserName);
  } catch (e) {
    if (!noSuchEntity(e)) throw e;
    groupExists = false;
  }
  if (!groupExists && !o.createGroup) throw new EnforceUsageError(`group ${o.group} does not exist; pass --create-group to create it`);
  if (!groupExists) changes.push(`create group ${o.group}`);

  const policyArn = `arn:${id.partition}:iam::${id.accountId}:policy/${o.policyName}`;
  let policyExists = true;
  let sameDocument: boolean | null = null;
  try {
    const p = await c.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const v = await c.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: p.Policy?.DefaultVersionId ?? 'v1' }));
    sameDocument = canonical(decodePolicyDocument(v.PolicyVersion?.Document)) === canonical(ENFORCEMENT_POLICY);
    if (!sameDocument) warnings.push(`policy ${policyArn} exists with a different document: it is used as it is, not replaced`);
  } catch (e) {
    if (!noSuchEntity(e)) throw e;
    policyExists = false;
    changes.push(`create policy ${policyArn} (AWS's "manage own credentials, deny everything else without MFA" document)`);
  }
  let attached = false;
  if (groupExists) {
    for await (const page of paginateListAttachedGroupPolicies({ client: c.iam }, { GroupName: o.group })) {
      if ((page.AttachedPolicies ?? []).some((p) => p.PolicyArn === policyArn)) attached = true;
    }
  }
  if (!attached) changes.push(`attach ${o.policyName} to group ${o.group}`);

  // The users: named, or every user with a console password.
  let targets: { userName: string; arn: string }[];
  if (o.users) {
    targets = await mapPool(o.users, o.concurrency, async (name) => {
      try {
        const u = await c.iam.send(new GetUserCommand({ UserName: name }));
        return { userName: name, arn: u.User?.Arn ?? '' };
      } catch (e) {
        if (noSuchEntity(e)) throw new EnforceUsageError(`no such user ${name}`);
        throw e;
      }
    });
  } else if (o.allConsoleUsers) {
    const all = await listUsers(c);
    const withPassword = await mapPool(all, o.concurrency, async (u) => ((await getLoginProfile(c, u.UserName ?? '')) ? u : null));
    targets = withPassword.filter((u) => u !== null).map((u) => ({ userName: u.UserName ?? '', arn: u.Arn ?? '' }));
  } else {
    targets = [];
  }

  // One probe: an endpoint without SimulatePrincipalPolicy (moto) is reported once.
  let simulationUnavailable: string | null = null;
  const first = targets[0];
  if (first) {
    try { await allowedActions(c, first.arn, MFA_CONTEXT.false, { actions: ['iam:ListUsers'] }); } catch (e) { simulationUnavailable = errorText(e); }
  }

  const users = await mapPool(targets, o.concurrency, async (t): Promise<PlannedUser> => {
    const errors: string[] = [];
    const alreadyInGroup = members.has(t.userName);
    let devices: MfaDevice[] | null = null;
    let consolePassword: boolean | null = null;
    try { devices = await listMfaDevices(c, t.userName); } catch (e) { errors.push(`ListMFADevices: ${errorText(e)}`); }
    try { consolePassword = (await getLoginProfile(c, t.userName)) !== null; } catch (e) { errors.push(`GetLoginProfile: ${errorText(e)}`); }
    let now: string[] | null = null;
    let after: string[] | null = null;
    let canEnrol: boolean | null = null;
    if (!simulationUnavailable) {
      try {
        const what = { policyInput: [ENFORCEMENT_POLICY_JSON] };
        const [nf, na, af, aa, mfaDev, userEnrol] = await Promise.all([
          allowedActions(c, t.arn, MFA_CONTEXT.false), allowedActions(c, t.arn, MFA_CONTEXT.absent),
          allowedActions(c, t.arn, MFA_CONTEXT.false, what), allowedActions(c, t.arn, MFA_CONTEXT.absent, what),
          allowedActions(c, t.arn, MFA_CONTEXT.false, { ...what, actions: ['iam:CreateVirtualMFADevice'], resourceArns: [`arn:${id.partition}:iam::${id.accountId}:mfa/${t.userName}`] }),
          allowedActions(c, t.arn, MFA_CONTEXT.false, { ...what, actions: ENROLMENT_ACTIONS.filter((a) => a !== 'iam:CreateVirtualMFADevice'), resourceArns: [t.arn] }),
        ]);
        now = [...new Set([...nf, ...na])].sort();
        after = [...new Set([...af, ...aa])].sort();
        canEnrol = mfaDev.length === 1 && userEnrol.length === ENROLMENT_ACTIONS.length - 1;
      } catch (e) { errors.push(`SimulatePrincipalPolicy: ${errorText(e)}`); }
    }
    const hasDevice = devices === null ? null : devices.length > 0;
    const lockedOut = hasDevice === false;
    const outcome = hasDevice === null ? 'unknown: could not list MFA devices'
      : lockedOut ? 'locked out of everything but enrolling an MFA device until they enrol one'
        : `keeps access by signing in with MFA (${describeDevices(devices ?? [])})`;
    return {
      userName: t.userName, arn: t.arn, alreadyInGroup, consolePassword, devices: devices?.map((d) => `${d.kind}:${d.serialNumber}`) ?? null, hasDevice,
      allowedWithoutMfaNow: now, allowedWithoutMfaAfter: after, canEnrolAfter: canEnrol, lockedOutUntilEnrolment: lockedOut, outcome, errors,
    };
  });
  for (const u of users) if (!u.alreadyInGroup) changes.push(`add user ${u.userName} to group ${o.group}`);
  return {
    account: id.accountId,
    group: { name: o.group, exists: groupExists },
    policy: { name: o.policyName, arn: policyArn, exists: policyExists, sameDocument, attachedToGroup: attached },
    users, simulationUnavailable, changes, warnings,
  };
}

/** Make the plan's changes, in order: group, policy, attachment, memberships. Returns what was done. */
export async function apply(c: Clients, p: EnforcePlan): Promise<string[]> {
  const done: string[] = [];
  if (!p.group.exists) {
    await c.iam.send(new CreateGroupCommand({ GroupName: p.group.name }));
    done.push(`created group ${p.group.name}`);
  }
  if (!p.policy.exists) {
    await c.iam.send(new CreatePolicyCommand({ PolicyName: p.policy.name, PolicyDocument: ENFORCEMENT_POLICY_JSON, Description: POLICY_DESCRIPTION }));
    done.push(`created policy ${p.policy.arn}`);
  }
  if (!p.policy.attachedToGroup) {
    await c.iam.send(new AttachGroupPolicyCommand({ GroupName: p.group.name, PolicyArn: p.policy.arn }));
    done.push(`attached ${p.policy.name} to group ${p.group.name}`);
  }
  for (const u of p.users) {
    if (u.alreadyInGroup) continue;
    await c.iam.send(new AddUserToGroupCommand({ GroupName: p.group.name, UserName: u.userName }));
    done.push(`added user ${u.userName} to group ${p.group.name}`);
  }
  return done;
}

export function formatPlan(p: EnforcePlan, dryRun: boolean): string {
  const lines: string[] = [];
  lines.push(`${dryRun ? 'Dry run (nothing changed)' : 'Plan'} for account ${p.account}, group ${p.group.name}, policy ${p.policy.arn}`);
  if (p.simulationUnavailable) lines.push(`SimulatePrincipalPolicy is unavailable on this endpoint (${p.simulationUnavailable}): what users could do is not shown`);
  for (const w of p.warnings) lines.push(`warning: ${w}`);
  lines.push('', 'Users:');
  const list = (v: readonly string[] | null): string => (v === null ? 'unknown' : v.length ? v.join(', ') : 'nothing sensitive');
  for (const u of p.users) {
    lines.push(`  ${u.userName}${u.alreadyInGroup ? ' (already in the group)' : ''}: ${u.outcome}`);
    lines.push(`    MFA devices: ${u.devices === null ? 'unknown' : u.devices.length ? u.devices.join(', ') : 'none'}; console password: ${u.consolePassword === null ? 'unknown' : u.consolePassword ? 'yes' : 'no'}`);
    if (u.allowedWithoutMfaNow !== null) lines.push(`    allowed without MFA now: ${list(u.allowedWithoutMfaNow)}`);
    if (u.allowedWithoutMfaAfter !== null) lines.push(`    allowed without MFA after: ${list(u.allowedWithoutMfaAfter)}`);
    if (u.canEnrolAfter !== null) lines.push(`    can enrol a device without MFA after: ${u.canEnrolAfter ? 'yes' : 'NO'}`);
    for (const e of u.errors) lines.push(`    error: ${e}`);
  }
  const locked = p.users.filter((u) => u.lockedOutUntilEnrolment).map((u) => u.userName);
  if (p.users.length === 0) lines.push('  (no user selected: --users U1,U2 or --all-console-users)');
  else lines.push('', locked.length ? `Locked out of everything but enrolment until they enrol a device: ${locked.join(', ')}` : 'Nobody is locked out: every user has a device.');
  lines.push('', p.changes.length ? `${dryRun ? 'Would change' : 'Changes'}:` : 'Nothing to change.');
  for (const ch of p.changes) lines.push(`  ${ch}`);
  return `${lines.join('\n')}\n`;
}
