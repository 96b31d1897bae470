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
import { invalidInput } from '../aws/errors.js';
import { arn } from './arn.js';
import { awsManagedPolicy, isAwsManagedArn } from './aws-managed-policies.js';
import { boundaryShape } from './common.js';
import { pageRequest, pageResult } from './pagination.js';
import { policyStore } from './policies.js';

const SECTIONS = [
  { filter: 'User', kind: 'user' },
  { filter: 'Group', kind: 'group' },
  { filter: 'Role', kind: 'role' },
  { filter: 'LocalManagedPolicy', kind: 'policy' },
  { filter: 'AWSManagedPolicy', kind: 'aws' },
];

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const lastSegment = (a) => a.slice(a.lastIndexOf('/') + 1);

/** AttachedManagedPolicies: name and ARN, in ListAttached*Policies' order; AWS-managed ARNs no longer known are left out. */
function attachedPolicies(arns) {
  return arns
    .filter((a) => !isAwsManagedArn(a) || awsManagedPolicy(a))
    .map((a) => ({ PolicyName: lastSegment(a), PolicyArn: a }))
    .sort((x, y) => cmp(x.PolicyName.toLowerCase(), y.PolicyName.toLowerCase()) || cmp(x.PolicyArn, y.PolicyArn));
}

const inlinePolicies = (list) => [...list].sort((a, b) => cmp(a.name, b.name)).map((p) => ({ PolicyName: p.name, PolicyDocument: p.document }));

function withBoundaryAndTags(out, row) {
  if (row.permissions_boundary) out.PermissionsBoundary = boundaryShape(row.permissions_boundary);
  const tags = JSON.parse(row.tags);
  if (tags.length) out.Tags = tags;
  return out;
}

function userDetail(u) {
  return withBoundaryAndTags({
    Path: u.path,
    UserName: u.name,
    UserId: u.user_id,
    Arn: arn.user(u.account_id, u.path, u.name),
    CreateDate: u.created_at,
    UserPolicyList: inlinePolicies(u.inline),
    GroupList: [...u.groups].sort((a, b) => cmp(a.toLowerCase(), b.toLowerCase())),
    AttachedManagedPolicies: attachedPolicies(u.attached),
  }, u);
}

function groupDetail(g) {
  return {
    Path: g.path,
    GroupName: g.name,
    GroupId: g.group_id,
    Arn: arn.group(g.account_id, g.path, g.name),
    CreateDate: g.created_at,
    GroupPolicyList: inlinePolicies(g.inline),
    AttachedManagedPolicies: attachedPolicies(g.attached),
  };
}

function roleDetail(r) {
  return withBoundaryAndTags({
    Path: r.path,
    RoleName: r.name,
    RoleId: r.role_id,
    Arn: arn.role(r.account_id, r.path, r.name),
    CreateDate: r.created_at,
    AssumeRolePolicyDocument: r.assume_role_policy,
    InstanceProfileList: [], // Gatehouse has no instance profiles
    RolePolicyList: inlinePolicies(r.inline),
    AttachedManagedPolicies: attachedPolicies(r.attached),
    RoleLastUsed: r.last_used_date ? { LastUsedDate: r.last_used_date, Region: r.last_used_region } : {},
  }, r);
}

function localPolicyDetail(p, usage) {
  const out = {
    PolicyName: p.name,
    PolicyId: p.policy_id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.default_version,
    AttachmentCount: usage.counts.get(p.arn) ?? 0,
    PermissionsBoundaryUsageCount: usage.bounds.get(p.arn) ?? 0,
    IsAttachable: true,
    CreateDate: p.created_at,
    UpdateDate: p.updated_at,
    PolicyVersionList: p.versions.map((v) => ({ Document: v.document, VersionId: v.version_id, IsDefaultVersion: v.version_id === p.default_version, CreateDate: v.created_at })),
  };
  if (p.description) out.Description = p.description;
  return out;
}

function awsPolicyDetail(meta, usage) {
  const out = {
    PolicyName: meta.name,
    PolicyId: meta.policyId,
    Arn: meta.arn,
    Path: meta.path,
    DefaultVersionId: meta.versionId,
    AttachmentCount: usage.counts.get(meta.arn) ?? 0,
    PermissionsBoundaryUsageCount: usage.bounds.get(meta.arn) ?? 0,
    IsAttachable: meta.isAttachable,
    CreateDate: meta.createDate,
    UpdateDate: meta.updateDate,
    PolicyVersionList: [{ Document: meta.document, VersionId: meta.versionId, IsDefaultVersion: true, CreateDate: meta.versionCreateDate }],
  };
  if (meta.description) out.Description = meta.description;
  return out;
}

/** The AWS-managed policies the account uses (attached or as a boundary), by name, after `after`, at most `limit`. */
function awsPoliciesInUse(usage, after, limit) {
  const metas = [];
  for (const a of new Set([...usage.counts.keys(), ...usage.bounds.keys()])) {
    const meta = isAwsManagedArn(a) ? awsManagedPolicy(a) : null;
    if (meta && (after === null || meta.name.toLowerCase() > after)) metas.push(meta);
  }
  return metas.sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase())).slice(0, limit);
}

export const handlers = {
  async GetAccountAuthorizationDetails(ctx, input) {
    const wanted = new Set(input.Filter?.length ? input.Filter : SECTIONS.map((s) => s.filter));
    const page = pageRequest(input);
    let start = 0;
    let after = null;
    if (page.after !== null) {
      const m = /^([0-4]):(.*)$/s.exec(page.after);
      if (!m) throw invalidInput('Invalid Marker.');
      start = Number(m[1]);
      after = m[2];
    }
    const accountId = ctx.account.account_id;
    const ps = policyStore(ctx);
    let usage = null;
    const usageOf = async () => (usage ??= { counts: await ps.attachmentCounts(accountId), bounds: await ps.boundaryCounts(accountId) });

    // Up to MaxItems + 1 entries, section by section, to know whether the list goes on.
    const found = [];
    for (let i = start; i < SECTIONS.length && found.length < page.limit; i++) {
      const { filter, kind } = SECTIONS[i];
      if (!wanted.has(filter)) continue;
      const from = i === start ? after : null;
      const want = page.limit - found.length;
      if (kind === 'aws') {
        for (const meta of awsPoliciesInUse(await usageOf(), from, want)) found.push({ section: i, key: meta.name.toLowerCase(), kind, meta });
      } else {
        for (const row of await ps.authorizationDetails(accountId, kind, from, want)) found.push({ section: i, key: row.name_lc, kind, row });
      }
    }
    const { items, ...rest } = pageResult(found, page, (x) => `${x.section}:${x.key}`);

    const out = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const x of items) {
      if (x.kind === 'user') out.UserDetailList.push(userDetail(x.row));
      else if (x.kind === 'group') out.GroupDetailList.push(groupDetail(x.row));
      else if (x.kind === 'role') out.RoleDetailList.push(roleDetail(x.row));
      else if (x.kind === 'policy') out.Policies.push(localPolicyDetail(x.row, await usageOf()));
      else out.Policies.push(awsPolicyDetail(x.meta, await usageOf()));
    }
    return { ...out, ...rest };
  },
};
