// The collector: reads an account through the public IAM API only (plus STS GetCallerIdentity for the account
// id), so the same code audits Gatehouse, real AWS or moto_server. Live calls for state (users, devices,
// passwords, keys, policies); the credential report only for last-used dates. Lists are paged, per-user calls run
// with bounded concurrency, and the SDK's standard retry mode backs off on Throttling. A call that fails leaves
// an Unavailable value with the reason: the checks that need it say ERROR, the others still run.
import {
  IAMClient, GenerateCredentialReportCommand, GetAccountSummaryCommand, GetCredentialReportCommand, GetLoginProfileCommand,
  paginateGetAccountAuthorizationDetails, paginateListAccessKeys, paginateListMFADevices, paginateListUsers,
  paginateListVirtualMFADevices, paginateSimulatePrincipalPolicy,
} from '@aws-sdk/client-iam';
import type { ContextEntry, GroupDetail as SdkGroupDetail, IAMClientConfig, ManagedPolicyDetail, User } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { canAuthenticate } from './checks.js';
import { parseCredentialReport } from './csv.js';
import { deviceKind } from './devices.js';
import { mapPool } from './pool.js';
import { SENSITIVE_ACTIONS } from './actions.js';
import type {
  AccessKey, AccountSnapshot, CredentialReport, GroupDetail, InlinePolicy, Maybe, MfaDevice, PolicyRef, SimulationResult,
  UserPolicies, UserSnapshot, VirtualDevice,
} from './types.js';
import { isUnavailable } from './types.js';

export interface ClientOptions {
  /** --endpoint-url; undefined = the SDK's default (real AWS). */
  readonly endpoint?: string | undefined;
  readonly profile?: string | undefined;
  readonly region: string;
  /** Attempts per call (standard retry mode: backs off on Throttling and 5xx). */
  readonly maxAttempts?: number;
  /** Fixed credentials instead of the SDK's chain, and another transport (the server's own audit, in process). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  readonly requestHandler?: IAMClientConfig['requestHandler'] | undefined;
}

export interface Clients {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly endpoint: string;
  readonly options: ClientOptions;
}

export function makeClients(o: ClientOptions): Clients {
  const common = {
    region: o.region,
    maxAttempts: o.maxAttempts ?? 6,
    retryMode: 'standard',
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.requestHandler ? { requestHandler: o.requestHandler } : {}),
  };
  return { iam: new IAMClient(common), sts: new STSClient(common), endpoint: o.endpoint ?? 'https://iam.amazonaws.com', options: o };
}

/** A failed call as one line: the AWS error code and message. */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const msg = e.message && e.message !== e.name ? `: ${e.message.split('\n')[0]}` : '';
    return `${e.name}${msg}`;
  }
  return String(e);
}
const errName = (e: unknown): string => (e instanceof Error ? e.name : '');

async function attempt<T>(fn: () => Promise<T>): Promise<Maybe<T>> {
  try { return await fn(); } catch (e) { return { error: errorText(e) }; }
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

/** Policy documents come URL-encoded from the wire (the JS SDK does not decode them); parse to plain JSON. */
export function decodePolicyDocument(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  for (const text of [raw, safeDecode(raw)]) {
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed;
    } catch { /* try the next form */ }
  }
  return undefined;
}
function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

export interface Identity { readonly accountId: string; readonly partition: string; readonly arn: string }

export async function identify(c: Clients): Promise<Identity> {
  const id = await c.sts.send(new GetCallerIdentityCommand({}));
  const arn = id.Arn ?? '';
  const accountId = id.Account ?? arn.split(':')[4] ?? '';
  if (!/^\d{12}$/.test(accountId)) throw new Error(`GetCallerIdentity gave no account id (${arn})`);
  return { accountId, partition: arn.split(':')[1] ?? 'aws', arn };
}

export async function listUsers(c: Clients): Promise<User[]> {
  const users: User[] = [];
  for await (const page of paginateListUsers({ client: c.iam }, {})) users.push(...(page.Users ?? []));
  return users;
}

export async function listMfaDevices(c: Clients, userName: string): Promise<MfaDevice[]> {
  const out: MfaDevice[] = [];
  for await (const page of paginateListMFADevices({ client: c.iam }, { UserName: userName })) {
    for (const d of page.MFADevices ?? []) {
      if (d.SerialNumber) out.push({ serialNumber: d.SerialNumber, kind: deviceKind(d.SerialNumber), enableDate: d.EnableDate ?? null });
    }
  }
  return out;
}

export async function getLoginProfile(c: Clients, userName: string): Promise<{ createDate: Date | null } | null> {
  try {
    const r = await c.iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return { createDate: r.LoginProfile?.CreateDate ?? null };
  } catch (e) {
    if (errName(e) === 'NoSuchEntityException' || errName(e) === 'NoSuchEntity') return null;
    throw e;
  }
}

async function listAccessKeys(c: Clients, userName: string): Promise<AccessKey[]> {
  const out: AccessKey[] = [];
  for await (const page of paginateListAccessKeys({ client: c.iam }, { UserName: userName })) {
    for (const k of page.AccessKeyMetadata ?? []) {
      if (k.AccessKeyId) out.push({ accessKeyId: k.AccessKeyId, status: k.Status ?? 'Active', createDate: k.CreateDate ?? null });
    }
  }
  return out;
}

async function virtualDevices(c: Clients): Promise<VirtualDevice[]> {
  const out: VirtualDevice[] = [];
  for await (const page of paginateListVirtualMFADevices({ client: c.iam }, { AssignmentStatus: 'Any' })) {
    for (const d of page.VirtualMFADevices ?? []) if (d.SerialNumber) out.push({ serialNumber: d.SerialNumber, userArn: d.User?.Arn ?? null });
  }
  return out;
}

async function accountSummary(c: Clients): Promise<Record<string, number>> {
  const r = await c.iam.send(new GetAccountSummaryCommand({}));
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.SummaryMap ?? {})) if (typeof v === 'number') out[k] = v;
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Generate until COMPLETE (AWS reuses a report younger than 4 hours; Gatehouse's window is a setting), then read
 * it. The report only feeds the root-use and password/key-age checks: MFA status always comes from
 * ListMFADevices, ListVirtualMFADevices and GetAccountSummary, read live, so a reused report never hides a
 * device enabled or removed since it was generated.
 */
export async function credentialReport(c: Clients, timeoutMs = 60_000): Promise<CredentialReport> {
  const until = Date.now() + timeoutMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 4000)) {
    const g = await c.iam.send(new GenerateCredentialReportCommand({}));
    if (g.State === 'COMPLETE') break;
    if (Date.now() > until) throw new Error(`the credential report is still ${g.State ?? 'not ready'} after ${timeoutMs / 1000} s`);
    await sleep(wait);
  }
  const r = await c.iam.send(new GetCredentialReportCommand({}));
  const text = r.Content ? Buffer.from(r.Content).toString('utf8') : '';
  return { generatedTime: r.GeneratedTime ?? null, rows: parseCredentialReport(text) };
}

interface AuthorizationDetails {
  readonly users: ReadonlyMap<string, UserPolicies>;
}

const refs = (list: readonly { PolicyName?: string | undefined; PolicyArn?: string | undefined }[] | undefined, docs: ReadonlyMap<string, unknown>): PolicyRef[] =>
  (list ?? []).filter((p) => p.PolicyArn).map((p) => {
    const arn = p.PolicyArn ?? '';
    const document = docs.get(arn);
    return { name: p.PolicyName ?? arn, arn, ...(document !== undefined ? { document } : {}) };
  });
const inline = (list: readonly { PolicyName?: string | undefined; PolicyDocument?: string | undefined }[] | undefined): InlinePolicy[] =>
  (list ?? []).map((p) => ({ name: p.PolicyName ?? '', document: decodePolicyDocument(p.PolicyDocument) }));

/** Every user's identity policies in a few paged calls: GetAccountAuthorizationDetails (users, groups, customer managed). */
async function authorizationDetails(c: Clients): Promise<AuthorizationDetails> {
  const pages = await all(paginateGetAccountAuthorizationDetails({ client: c.iam }, { Filter: ['User', 'Group', 'LocalManagedPolicy'] }));
  const docs = new Map<string, unknown>();
  const policies: ManagedPolicyDetail[] = pages.flatMap((p) => p.Policies ?? []);
  for (const p of policies) {
    const v = (p.PolicyVersionList ?? []).find((x) => x.IsDefaultVersion) ?? (p.PolicyVersionList ?? []).find((x) => x.VersionId === p.DefaultVersionId);
    if (p.Arn) docs.set(p.Arn, decodePolicyDocument(v?.Document));
  }
  const groups = new Map<string, GroupDetail>();
  for (const g of pages.flatMap((p): SdkGroupDetail[] => p.GroupDetailList ?? [])) {
    if (g.GroupName) groups.set(g.GroupName, { name: g.GroupName, attached: refs(g.AttachedManagedPolicies, docs), inline: inline(g.GroupPolicyList) });
  }
  const users = new Map<string, UserPolicies>();
  for (const u of pages.flatMap((p) => p.UserDetailList ?? [])) {
    if (!u.UserName) continue;
    users.set(u.UserName, {
      attached: refs(u.AttachedManagedPolicies, docs),
      inline: inline(u.UserPolicyList),
      groups: (u.GroupList ?? []).map((name) => groups.get(name) ?? { name, attached: [], inline: [] }),
    });
  }
  return { users };
}

const MFA_FALSE: ContextEntry[] = [{ ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['false'], ContextKeyType: 'boolean' }];
const MFA_TRUE: ContextEntry[] = [
  { ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['true'], ContextKeyType: 'boolean' },
  { ContextKeyName: 'aws:MultiFactorAuthAge', ContextKeyValues: ['60'], ContextKeyType: 'numeric' },
];

export interface SimulateOptions {
  readonly actions?: readonly string[];
  readonly resourceArns?: readonly string[];
  /** Extra identity policies to add (what-if: `mfa enforce --dry-run`). */
  readonly policyInput?: readonly string[];
}

/** The actions SimulatePrincipalPolicy answers `allowed` for, under a context. */
export async function allowedActions(c: Clients, arn: string, context: readonly ContextEntry[], o: SimulateOptions = {}): Promise<string[]> {
  const allowed: string[] = [];
  const input = {
    PolicySourceArn: arn,
    ActionNames: [...(o.actions ?? SENSITIVE_ACTIONS)],
    ContextEntries: [...context],
    ...(o.resourceArns ? { ResourceArns: [...o.resourceArns] } : {}),
    ...(o.policyInput ? { PolicyInputList: [...o.policyInput] } : {}),
  };
  for await (const page of paginateSimulatePrincipalPolicy({ client: c.iam }, input)) {
    for (const r of page.EvaluationResults ?? []) if (r.EvalDecision === 'allowed' && r.EvalActionName) allowed.push(r.EvalActionName);
  }
  return allowed;
}

export async function simulateUser(c: Clients, arn: string, o: SimulateOptions = {}): Promise<SimulationResult> {
  const [f, a, t] = await Promise.all([allowedActions(c, arn, MFA_FALSE, o), allowedActions(c, arn, [], o), allowedActions(c, arn, MFA_TRUE, o)]);
  return { allowedWithMfaFalse: f, allowedWithMfaAbsent: a, allowedWithMfa: t };
}
const MFA_ABSENT: ContextEntry[] = [];
export const MFA_CONTEXT = { false: MFA_FALSE, absent: MFA_ABSENT, true: MFA_TRUE } as const;

export interface CollectOptions {
  readonly concurrency: number;
  readonly simulate: boolean;
  readonly onProgress?: (line: string) => void;
}

export async function collect(c: Clients, o: CollectOptions): Promise<AccountSnapshot> {
  const collectedAt = new Date();
  const progress = o.onProgress ?? ((): void => {});
  progress('identifying the account');
  const id = await identify(c);
  progress('listing users');
  const users = await listUsers(c);
  const [summary, vdevs, report, authz] = await Promise.all([
    attempt(() => accountSummary(c)),
    attempt(() => virtualDevices(c)),
    attempt(() => credentialReport(c)),
    attempt(() => authorizationDetails(c)),
  ]);
  let done = 0;
  const partial = await mapPool(users, o.concurrency, async (u) => {
    const name = u.UserName ?? '';
    const [mfaDevices, loginProfile, accessKeys] = await Promise.all([
      attempt(() => listMfaDevices(c, name)), attempt(() => getLoginProfile(c, name)), attempt(() => listAccessKeys(c, name)),
    ]);
    progress(`reading users ${++done}/${users.length}`);
    const policies: Maybe<UserPolicies> = isUnavailable(authz) ? authz : authz.users.get(name) ?? { error: 'not in GetAccountAuthorizationDetails' };
    const snap: UserSnapshot = {
      userName: name, arn: u.Arn ?? '', createDate: u.CreateDate ?? null, passwordLastUsed: u.PasswordLastUsed ?? null,
      loginProfile, mfaDevices, accessKeys, policies,
    };
    return snap;
  });
  partial.sort((a, b) => (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0));

  let simulationUnavailable: string | undefined;
  let result: UserSnapshot[] = partial;
  if (o.simulate) {
    const targets = partial.filter(canAuthenticate);
    // One probe first: an endpoint without SimulatePrincipalPolicy (moto) is told once, not once per user.
    const probeClients = targets.length ? makeProbe(c) : null;
    const first = targets[0];
    const sims = new Map<string, Maybe<SimulationResult>>();
    if (first && probeClients) {
      const probe = await attempt(() => allowedActions(probeClients, first.arn, MFA_FALSE));
      if (isUnavailable(probe)) simulationUnavailable = probe.error;
    }
    if (!simulationUnavailable) {
      let n = 0;
      await mapPool(targets, o.concurrency, async (u) => {
        sims.set(u.userName, await attempt(() => simulateUser(c, u.arn)));
        progress(`simulating ${++n}/${targets.length}`);
      });
      result = partial.map((u) => {
        const s = sims.get(u.userName);
        return s ? { ...u, simulation: s } : u;
      });
    }
  }
  return {
    accountId: id.accountId, partition: id.partition, endpoint: c.endpoint, collectedAt,
    summary, virtualDevices: vdevs, credentialReport: report, users: result,
    ...(simulationUnavailable !== undefined ? { simulationUnavailable } : {}),
  };
}

/** The same endpoint and credentials, one attempt per call. */
const makeProbe = (c: Clients): Clients => makeClients({ ...c.options, maxAttempts: 1 });
