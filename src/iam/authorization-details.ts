// GetAccountAuthorizationDetails: the whole account's IAM configuration in one paged answer — users (inline
// policies, groups, attached policies, boundary, tags), groups, roles (trust policy, inline and attached policies,
// boundary, tags, last use) and managed policies with all their versions — as audit tools (ScoutSuite, Prowler,
// Cloudsplaining, PMapper) read it. Authorised as iam:GetAccountAuthorizationDetails on `*` (resources.js).
//
// Paging runs over one list: users, groups, roles, customer managed policies, then AWS-managed policies, each in
// name order; `Filter` keeps only some of the five. The Marker names the section and the last name returned, so a
// page holds MaxItems entries in all, whatever their kinds. AWS-managed policies are reported only when the account
// uses them (attached to a user, group or role, or a permissions boundary), as AWS reports them. Documents go out
// URL-encoded, like every policyDocumentType on the wire (src/aws/xml.js).
import type { IamHandler, IamOperations } from '../aws/handlers.js';
import type {
  AttachedPermissionsBoundary, AttachedPolicy, GetAccountAuthorizationDetailsResponse, GroupDetail, ManagedPolicyDetail, PolicyDetail, RoleDetail, UserDetail,
} from '../aws/models/iam.generated.js';
import { invalidInput } from '../errors.js';
import { arn } from './arn.js';
import { awsManagedPolicy, isAwsManagedArn } from './aws-managed-policies.js';
import type { AwsManagedPolicy } from './aws-managed-policies.js';
import { boundaryShape } from './common.js';
import type { OperationContext, Tag } from './context.js';
import { pageRequest, pageResult } from './pagination.js';
import { policyStore } from './policies.js';
import type { ManagedPolicyRow } from './policies.js';

const SECTIONS = [
  { filter: 'User', kind: 'user' },
  { filter: 'Group', kind: 'group' },
  { filter: 'Role', kind: 'role' },
  { filter: 'LocalManagedPolicy', kind: 'policy' },
  { filter: 'AWSManagedPolicy', kind: 'aws' },
] as const;

// What the store's authorizationDetails page holds for each kind (src/store/policy-store.js).
interface InlinePolicy { readonly name: string; readonly document: string }
interface EntityBase {
  readonly accountId: string;
  readonly name: string;
  readonly nameLc: string;
  readonly path: string;
  readonly createdAt: string;
  readonly inline: readonly InlinePolicy[];
  /** Attached policy ARNs. */
  readonly attached: readonly string[];
}
interface Bounded { readonly permissionsBoundary: string | null; readonly tags: readonly Tag[] }
interface UserRow extends EntityBase, Bounded { readonly userId: string; /** Group names. */ readonly groups: readonly string[] }
interface GroupRow extends EntityBase { readonly groupId: string }
interface RoleRow extends EntityBase, Bounded {
  readonly roleId: string;
  readonly assumeRolePolicy: string;
  readonly lastUsedDate: string | null;
  readonly lastUsedRegion: string | null;
}
interface PolicyRow extends ManagedPolicyRow {
  readonly nameLc: string;
  readonly versions: readonly { readonly versionId: string; readonly document: string; readonly createdAt: string }[];
}
interface Usage { readonly counts: ReadonlyMap<string, number>; readonly bounds: ReadonlyMap<string, number> }

/** One entry of the answer: its section (index in SECTIONS), its sort key, and what it reports. */
type Found = { readonly section: number; readonly key: string } & (
  | { readonly kind: 'user'; readonly row: UserRow }
  | { readonly kind: 'group'; readonly row: GroupRow }
  | { readonly kind: 'role'; readonly row: RoleRow }
  | { readonly kind: 'policy'; readonly row: PolicyRow }
  | { readonly kind: 'aws'; readonly meta: AwsManagedPolicy });

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const lastSegment = (a: string): string => a.slice(a.lastIndexOf('/') + 1);

/** AttachedManagedPolicies: name and ARN, in ListAttached*Policies' order; AWS-managed ARNs no longer known are left out. */
function attachedPolicies(arns: readonly string[]): AttachedPolicy[] {
  return arns
    .filter((a) => !isAwsManagedArn(a) || awsManagedPolicy(a))
    .map((a) => ({ PolicyName: lastSegment(a), PolicyArn: a }))
    .sort((x, y) => cmp(x.PolicyName.toLowerCase(), y.PolicyName.toLowerCase()) || cmp(x.PolicyArn, y.PolicyArn));
}

const inlinePolicies = (list: readonly InlinePolicy[]): PolicyDetail[] => [...list].sort((a, b) => cmp(a.name, b.name)).map((p) => ({ PolicyName: p.name, PolicyDocument: p.document }));

function withBoundaryAndTags<T extends UserDetail | RoleDetail>(out: T, row: Bounded): T {
  // common.js's shape, its type widened by inference (a string for the enum): cast until that module is typed.
  if (row.permissionsBoundary) out.PermissionsBoundary = boundaryShape(row.permissionsBoundary) as AttachedPermissionsBoundary;
  if (row.tags.length) out.Tags = [...row.tags];
  return out;
}

function userDetail(u: UserRow): UserDetail {
  return withBoundaryAndTags<UserDetail>({
    Path: u.path,
    UserName: u.name,
    UserId: u.userId,
    Arn: arn.user(u.accountId, u.path, u.name),
    CreateDate: new Date(u.createdAt),
    UserPolicyList: inlinePolicies(u.inline),
    GroupList: [...u.groups].sort((a, b) => cmp(a.toLowerCase(), b.toLowerCase())),
    AttachedManagedPolicies: attachedPolicies(u.attached),
  }, u);
}

function groupDetail(g: GroupRow): GroupDetail {
  return {
    Path: g.path,
    GroupName: g.name,
    GroupId: g.groupId,
    Arn: arn.group(g.accountId, g.path, g.name),
    CreateDate: new Date(g.createdAt),
    GroupPolicyList: inlinePolicies(g.inline),
    AttachedManagedPolicies: attachedPolicies(g.attached),
  };
}

function roleDetail(r: RoleRow): RoleDetail {
  return withBoundaryAndTags<RoleDetail>({
    Path: r.path,
    RoleName: r.name,
    RoleId: r.roleId,
    Arn: arn.role(r.accountId, r.path, r.name),
    CreateDate: new Date(r.createdAt),
    AssumeRolePolicyDocument: r.assumeRolePolicy,
    InstanceProfileList: [], // Gatehouse has no instance profiles
    RolePolicyList: inlinePolicies(r.inline),
    AttachedManagedPolicies: attachedPolicies(r.attached),
    // A region not recorded is left out, as the serialiser leaves out a null.
    RoleLastUsed: r.lastUsedDate ? { LastUsedDate: new Date(r.lastUsedDate), ...(r.lastUsedRegion !== null ? { Region: r.lastUsedRegion } : {}) } : {},
  }, r);
}

function localPolicyDetail(p: PolicyRow, usage: Usage): ManagedPolicyDetail {
  const out: ManagedPolicyDetail = {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: usage.counts.get(p.arn) ?? 0,
    PermissionsBoundaryUsageCount: usage.bounds.get(p.arn) ?? 0,
    IsAttachable: true,
    CreateDate: new Date(p.createdAt),
    UpdateDate: new Date(p.updatedAt),
    PolicyVersionList: p.versions.map((v) => ({ Document: v.document, VersionId: v.versionId, IsDefaultVersion: v.versionId === p.defaultVersion, CreateDate: new Date(v.createdAt) })),
  };
  if (p.description) out.Description = p.description;
  return out;
}

function awsPolicyDetail(meta: AwsManagedPolicy, usage: Usage): ManagedPolicyDetail {
  const out: ManagedPolicyDetail = {
    PolicyName: meta.name,
    PolicyId: meta.policyId,
    Arn: meta.arn,
    Path: meta.path,
    DefaultVersionId: meta.versionId,
    AttachmentCount: usage.counts.get(meta.arn) ?? 0,
    PermissionsBoundaryUsageCount: usage.bounds.get(meta.arn) ?? 0,
    IsAttachable: meta.isAttachable,
    CreateDate: new Date(meta.createDate),
    UpdateDate: new Date(meta.updateDate),
    PolicyVersionList: [{ Document: meta.document, VersionId: meta.versionId, IsDefaultVersion: true, CreateDate: new Date(meta.versionCreateDate) }],
  };
  if (meta.description) out.Description = meta.description;
  return out;
}

/** The AWS-managed policies the account uses (attached or as a boundary), by name, after `after`, at most `limit`. */
function awsPoliciesInUse(usage: Usage, after: string | null, limit: number): AwsManagedPolicy[] {
  const metas: AwsManagedPolicy[] = [];
  for (const a of new Set([...usage.counts.keys(), ...usage.bounds.keys()])) {
    const meta = isAwsManagedArn(a) ? awsManagedPolicy(a) : null;
    if (meta && (after === null || meta.name.toLowerCase() > after)) metas.push(meta);
  }
  return metas.sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase())).slice(0, limit);
}

export const handlers = {
  async GetAccountAuthorizationDetails(ctx, input) {
    const wanted = new Set<string>(input.Filter?.length ? input.Filter : SECTIONS.map((s) => s.filter));
    const page: { after: string | null; max: number; limit: number } = pageRequest(input);
    let start = 0;
    let after: string | null = null;
    if (page.after !== null) {
      const m = /^([0-4]):(.*)$/s.exec(page.after);
      if (!m) throw invalidInput('Invalid Marker.');
      start = Number(m[1]);
      after = m[2] ?? '';
    }
    const accountId = ctx.account.accountId;
    const ps = policyStore(ctx);
    let usage: Usage | null = null;
    const usageOf = async (): Promise<Usage> => (usage ??= { counts: await ps.attachmentCounts(accountId), bounds: await ps.boundaryCounts(accountId) });

    // Up to MaxItems + 1 entries, section by section, to know whether the list goes on.
    const found: Found[] = [];
    for (let i = start; i < SECTIONS.length && found.length < page.limit; i++) {
      const { filter, kind } = SECTIONS[i]!; // i < SECTIONS.length
      if (!wanted.has(filter)) continue;
      const from = i === start ? after : null;
      const want = page.limit - found.length;
      if (kind === 'aws') {
        for (const meta of awsPoliciesInUse(await usageOf(), from, want)) found.push({ section: i, key: meta.name.toLowerCase(), kind, meta });
      } else {
        // The store's page holds rows of this section's kind, with their details (its JSDoc says only object[]).
        const rows = await ps.authorizationDetails(accountId, kind, from, want) as (UserRow | GroupRow | RoleRow | PolicyRow)[];
        for (const row of rows) found.push({ section: i, key: row.nameLc, kind, row } as Found); // row is of `kind`, as read
      }
    }
    const { items, ...rest } = pageResult(found, page, (x: Found) => `${x.section}:${x.key}`);

    const out: { UserDetailList: UserDetail[]; GroupDetailList: GroupDetail[]; RoleDetailList: RoleDetail[]; Policies: ManagedPolicyDetail[] } = {
      UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [],
    };
    const entries: Found[] = items;
    for (const x of entries) {
      if (x.kind === 'user') out.UserDetailList.push(userDetail(x.row));
      else if (x.kind === 'group') out.GroupDetailList.push(groupDetail(x.row));
      else if (x.kind === 'role') out.RoleDetailList.push(roleDetail(x.row));
      else if (x.kind === 'policy') out.Policies.push(localPolicyDetail(x.row, await usageOf()));
      else out.Policies.push(awsPolicyDetail(x.meta, await usageOf()));
    }
    const answer: GetAccountAuthorizationDetailsResponse = { ...out, ...rest };
    return answer;
  },
} satisfies Partial<{ [K in keyof IamOperations]: IamHandler<K, OperationContext> }>;
