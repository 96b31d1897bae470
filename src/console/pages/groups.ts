// The administrator's Groups pages: the groups, and a group's members (add, remove) and policies (attached and
// inline; attach and detach are on the policy's page). ListGroups, GetGroup, ListAttachedGroupPolicies,
// ListGroupPolicies, AddUserToGroup, RemoveUserFromGroup, as the API runs them.
import { html } from '../html.js';
import * as P from '../pages.js';
import { refused, shortDate, statusOf } from '../kit.js';
import type { PageRoute } from '../kit.js';

const enc = encodeURIComponent;
const groupHref = (name: string): string => `/console/groups/view?name=${enc(name)}`;

export const groupRoutes: PageRoute = async (k, r) => {
  if (r.path !== '/console/groups' && !r.path.startsWith('/console/groups/')) return null;
  const { s, req, form } = r;
  const csrf = s.session.csrf;
  if (r.path === '/console/groups' && !r.post) {
    const c = await k.call(s, req, 'ListGroups', { MaxItems: '1000' });
    if (!c.ok) return refused(k, r, c);
    return k.respond(200, P.page({ title: 'Groups', who: r.who, notice: r.notice }, html`
<p>${c.value.Groups.length} group${c.value.Groups.length === 1 ? '' : 's'}.</p>
<table id="groups"><thead><tr><th scope="col">Group name</th><th scope="col">Path</th><th scope="col">Created</th></tr></thead><tbody>
${c.value.Groups.map((g) => html`<tr><td><a href="${groupHref(g.GroupName)}">${g.GroupName}</a></td><td>${g.Path}</td><td>${shortDate(g.CreateDate)}</td></tr>`)}
</tbody></table>`));
  }
  if (r.path === '/console/groups/view' && !r.post) {
    const name = req.url.searchParams.get('name') ?? '';
    const g = await k.call(s, req, 'GetGroup', { GroupName: name, MaxItems: '1000' });
    if (!g.ok) return refused(k, r, g, { href: '/console/groups', label: 'Groups' });
    const [attached, inline] = await Promise.all([
      k.call(s, req, 'ListAttachedGroupPolicies', { GroupName: name }),
      k.call(s, req, 'ListGroupPolicies', { GroupName: name }),
    ]);
    const hidden = html`<input type="hidden" name="group" value="${name}">`;
    return k.respond(200, P.page({ title: `Group ${name}`, who: r.who, notice: r.notice }, html`
<p>ARN <code>${g.value.Group.Arn}</code>.</p>
<h2>Members</h2>
${g.value.Users.length ? html`<table id="group-members"><tbody>${g.value.Users.map((u) => html`<tr><td><a href="/console/users/view?name=${enc(u.UserName)}">${u.UserName}</a></td><td>
${P.form('/console/groups/members/remove', csrf, html`${hidden}<input type="hidden" name="user" value="${u.UserName}"><button type="submit" class="secondary" aria-label="Remove ${u.UserName} from the group">Remove</button>`)}</td></tr>`)}</tbody></table>`
    : html`<p>No members.</p>`}
${P.form('/console/groups/members/add', csrf, html`${hidden}<div class="inline-form"><div>${P.field('user', 'User name to add')}</div><button type="submit">Add user</button></div>`)}
<h2>Policies</h2>
${!attached.ok ? html`<div class="error" role="alert">${attached.message}</div>` : html`<ul id="group-policies">
${(attached.value.AttachedPolicies ?? []).map((p) => html`<li><a href="/console/policies/view?arn=${enc(p.PolicyArn ?? '')}">${p.PolicyName}</a> (attached)</li>`)}
${inline.ok ? inline.value.PolicyNames.map((n) => html`<li>${n} (inline)</li>`) : ''}</ul>`}
<p class="hint">Attach or detach a policy from the policy's page (<a href="/console/policies">Policies</a>).</p>`));
  }
  if (!r.post) return null;
  const group = form.get('group') ?? '';
  const user = (form.get('user') ?? '').trim();
  const back = { href: groupHref(group), label: `Group ${group}` };
  if (r.path === '/console/groups/members/add' || r.path === '/console/groups/members/remove') {
    const add = r.path.endsWith('/add');
    const c = await k.call(s, req, add ? 'AddUserToGroup' : 'RemoveUserFromGroup', { GroupName: group, UserName: user });
    if (!c.ok) return k.respond(statusOf(c), P.message({ title: c.code === 'AccessDenied' ? 'Access denied' : 'Request failed', text: c.message, who: r.who, link: back }));
    return k.redirect(`${back.href}&done=${add ? 'member-added' : 'member-removed'}`);
  }
  return null;
};
