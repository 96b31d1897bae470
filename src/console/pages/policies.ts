// The administrator's Policies pages: the account's customer managed policies and AWS's catalogue (filter by
// scope, only attached), a policy's document (its default version) and the users, groups and roles it is
// attached to, with attach and detach. ListPolicies, GetPolicy, GetPolicyVersion, ListEntitiesForPolicy and
// Attach/Detach{User,Group,Role}Policy, as the API runs them.
import { html } from '../html.js';
import * as P from '../pages.js';
import { refused, statusOf } from '../kit.js';
import type { PageRoute } from '../kit.js';
import type { Policy } from '../../aws/models/iam.generated.js';

const enc = encodeURIComponent;
const policyHref = (arn: string): string => `/console/policies/view?arn=${enc(arn)}`;
const SCOPES = ['Local', 'AWS', 'All'] as const;
const SEARCHED = 5000;

/** A policy document as stored (URL-encoded on the wire, as AWS sends it), pretty-printed when it is JSON. */
function documentText(doc: string | undefined): string {
  if (!doc) return '';
  let text = doc;
  try { text = decodeURIComponent(doc); } catch { /* not encoded */ }
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

const KINDS = { user: ['AttachUserPolicy', 'DetachUserPolicy', 'UserName'], group: ['AttachGroupPolicy', 'DetachGroupPolicy', 'GroupName'], role: ['AttachRolePolicy', 'DetachRolePolicy', 'RoleName'] } as const;
type Kind = keyof typeof KINDS;
const isKind = (v: string | undefined): v is Kind => v === 'user' || v === 'group' || v === 'role';

export const policyRoutes: PageRoute = async (k, r) => {
  if (r.path !== '/console/policies' && !r.path.startsWith('/console/policies/')) return null;
  const { s, req, form } = r;
  const csrf = s.session.csrf;
  if (r.path === '/console/policies' && !r.post) {
    const q = req.url.searchParams;
    const scope = SCOPES.find((x) => x === q.get('scope')) ?? 'Local';
    const onlyAttached = q.get('attached') === 'on';
    const search = (q.get('q') ?? '').trim().toLowerCase();
    const marker = q.get('marker') ?? undefined;
    const list = (m: string | undefined, max: number) => k.call(s, req, 'ListPolicies', { Scope: scope, OnlyAttached: String(onlyAttached), MaxItems: String(max), ...(m ? { Marker: m } : {}) });
    let policies: Policy[] = [];
    let next: string | null = null;
    if (search) {
      // ListPolicies has no name filter: the pages are read (at most SEARCHED policies) and filtered here.
      let m: string | undefined;
      let seen = 0;
      do {
        const c = await list(m, 1000);
        if (!c.ok) return refused(k, r, c);
        seen += c.value.Policies?.length ?? 0;
        policies.push(...(c.value.Policies ?? []).filter((p) => (p.PolicyName ?? '').toLowerCase().includes(search)));
        m = c.value.IsTruncated ? c.value.Marker : undefined;
      } while (m && seen < SEARCHED);
    } else {
      const c = await list(marker, 100);
      if (!c.ok) return refused(k, r, c);
      policies = c.value.Policies ?? [];
      next = c.value.IsTruncated && c.value.Marker ? `/console/policies?scope=${scope}${onlyAttached ? '&attached=on' : ''}&marker=${enc(c.value.Marker)}` : null;
    }
    return k.respond(200, P.page({ title: 'Policies', who: r.who, notice: r.notice }, html`
<form method="get" action="/console/policies" class="inline-form">
<div><label for="scope">Type</label><select id="scope" name="scope">${SCOPES.map((x) => html`<option value="${x}"${x === scope ? html` selected` : ''}>${x === 'Local' ? 'Customer managed' : x === 'AWS' ? 'AWS managed' : 'All'}</option>`)}</select></div>
<div>${P.field('q', 'Policy name contains', { value: search, required: false })}</div>
<div class="check"><input type="checkbox" id="attached" name="attached" value="on"${onlyAttached ? html` checked` : ''}> <label for="attached">Only attached</label></div>
<button type="submit" class="secondary">Filter</button></form>
<table id="policies"><thead><tr><th scope="col">Policy name</th><th scope="col">Attached to</th><th scope="col">Description</th></tr></thead><tbody>
${policies.map((p) => html`<tr><td><a href="${policyHref(p.Arn ?? '')}">${p.PolicyName}</a></td><td>${p.AttachmentCount ?? 0}</td><td>${p.Description ?? ''}</td></tr>`)}
</tbody></table>
${policies.length ? '' : html`<p>No policies.</p>`}
${next ? html`<p><a href="${next}">Next page</a></p>` : ''}`));
  }
  if (r.path === '/console/policies/view' && !r.post) {
    const arn = req.url.searchParams.get('arn') ?? '';
    const p = await k.call(s, req, 'GetPolicy', { PolicyArn: arn });
    if (!p.ok) return refused(k, r, p, { href: '/console/policies', label: 'Policies' });
    const [version, entities] = await Promise.all([
      k.call(s, req, 'GetPolicyVersion', { PolicyArn: arn, VersionId: p.value.Policy?.DefaultVersionId ?? 'v1' }),
      k.call(s, req, 'ListEntitiesForPolicy', { PolicyArn: arn }),
    ]);
    const hidden = html`<input type="hidden" name="arn" value="${arn}">`;
    const detach = (kind: Kind, name: string | undefined) => P.form('/console/policies/detach', csrf, html`${hidden}<input type="hidden" name="kind" value="${kind}"><input type="hidden" name="name" value="${name ?? ''}"><button type="submit" class="secondary" aria-label="Detach from ${kind} ${name ?? ''}">Detach</button>`);
    const e = entities.ok ? entities.value : null;
    return k.respond(200, P.page({ title: `Policy ${p.value.Policy?.PolicyName ?? arn}`, who: r.who, notice: r.notice }, html`
<p>ARN <code>${arn}</code>${p.value.Policy?.Description ? html`. ${p.value.Policy.Description}` : ''}</p>
<h2>Policy document (${p.value.Policy?.DefaultVersionId ?? ''})</h2>
${version.ok ? html`<pre class="policy" id="policy-document">${documentText(version.value.PolicyVersion?.Document)}</pre>` : html`<div class="error" role="alert">${version.message}</div>`}
<h2>Attached to</h2>
${!e ? html`<div class="error" role="alert">${entities.ok ? '' : entities.message}</div>` : html`<table id="policy-entities"><thead><tr><th scope="col">Type</th><th scope="col">Name</th><th scope="col">Actions</th></tr></thead><tbody>
${(e.PolicyUsers ?? []).map((u) => html`<tr><td>User</td><td><a href="/console/users/view?name=${enc(u.UserName ?? '')}">${u.UserName}</a></td><td>${detach('user', u.UserName)}</td></tr>`)}
${(e.PolicyGroups ?? []).map((g) => html`<tr><td>Group</td><td><a href="/console/groups/view?name=${enc(g.GroupName ?? '')}">${g.GroupName}</a></td><td>${detach('group', g.GroupName)}</td></tr>`)}
${(e.PolicyRoles ?? []).map((x) => html`<tr><td>Role</td><td>${x.RoleName}</td><td>${detach('role', x.RoleName)}</td></tr>`)}
</tbody></table>`}
<h2>Attach</h2>
${P.form('/console/policies/attach', csrf, html`${hidden}<div class="inline-form">
<div><label for="kind">Attach to</label><select id="kind" name="kind"><option value="user">User</option><option value="group">Group</option><option value="role">Role</option></select></div>
<div>${P.field('name', 'Name')}</div>
<button type="submit">Attach policy</button></div>`)}`));
  }
  if (r.post && (r.path === '/console/policies/attach' || r.path === '/console/policies/detach')) {
    const arn = form.get('arn') ?? '';
    const kind = form.get('kind');
    const back = { href: policyHref(arn), label: 'Back to the policy' };
    if (!isKind(kind)) return k.respond(400, P.message({ title: 'Request failed', text: 'Choose a user, a group or a role.', who: r.who, link: back }));
    const [attach, detach, param] = KINDS[kind];
    const attaching = r.path.endsWith('/attach');
    const c = await k.call(s, req, attaching ? attach : detach, { PolicyArn: arn, [param]: (form.get('name') ?? '').trim() });
    if (!c.ok) return k.respond(statusOf(c), P.message({ title: c.code === 'AccessDenied' ? 'Access denied' : 'Request failed', text: c.message, who: r.who, link: back }));
    return k.redirect(`${back.href}&done=${attaching ? 'policy-attached' : 'policy-detached'}`);
  }
  return null;
};
