// Access keys, for oneself (Security credentials: IAM users and root, AWS's only way for root to have keys) and on
// a user's page for an administrator: create (the secret is shown once, on the answer to the POST, and never
// stored anywhere but sealed in the key's row), make inactive or active, delete. CreateAccessKey, UpdateAccessKey,
// DeleteAccessKey and ListAccessKeys through the same authoriser and handlers as the API; without UserName the
// handlers act on the caller, root included.
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import * as P from '../pages.js';
import { ageDays, refused, shortDate } from '../kit.js';
import type { Kit, PageRoute } from '../kit.js';
import type { ActiveSession, ConsoleRequest } from '../index.js';
import type { AccessKeyMetadata } from '../../aws/models/iam.generated.js';

/** Where a key action returns: the user's page (administrator), or one's own Security credentials. */
export const backTo = (user: string | undefined): string => (user ? `/console/users/view?name=${encodeURIComponent(user)}` : '/console/security-credentials');

const userParam = (user: string | undefined): Record<string, string> => (user ? { UserName: user } : {});

/** The access keys section of a Security credentials page (one's own, or a user's when `user` is given). */
export function accessKeysSection(o: { csrf: string; user?: string | undefined; keys: P.Shown<readonly AccessKeyMetadata[]>; now: Date }): SafeHtml {
  const hidden = o.user ? html`<input type="hidden" name="user" value="${o.user}">` : '';
  return html`<h2>Access keys</h2>
<p class="hint">Access keys sign programmatic calls (aws CLI, SDKs). At most two; the secret is shown only when a key is created.</p>
${!o.keys.ok ? html`<p class="hint" id="keys-denied">Access keys cannot be shown: ${o.keys.denied}</p>` : o.keys.value.length === 0
    ? html`<p id="no-access-keys">No access keys.</p>`
    : html`<table id="access-keys"><thead><tr><th scope="col">Access key ID</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Age</th><th scope="col">Actions</th></tr></thead><tbody>
${o.keys.value.map((k) => html`<tr><td><code>${k.AccessKeyId}</code></td><td>${k.Status}</td><td>${k.CreateDate ? shortDate(k.CreateDate) : ''}</td><td>${k.CreateDate ? ageDays(k.CreateDate, o.now) : ''}</td><td>
${P.form('/console/access-keys/status', o.csrf, html`${hidden}<input type="hidden" name="id" value="${k.AccessKeyId}"><input type="hidden" name="status" value="${k.Status === 'Active' ? 'Inactive' : 'Active'}"><button type="submit" class="secondary" aria-label="${k.Status === 'Active' ? 'Make inactive' : 'Make active'} ${k.AccessKeyId}">${k.Status === 'Active' ? 'Make inactive' : 'Make active'}</button>`)}
${P.form('/console/access-keys/delete', o.csrf, html`${hidden}<input type="hidden" name="id" value="${k.AccessKeyId}"><button type="submit" class="secondary" aria-label="Delete ${k.AccessKeyId}">Delete</button>`)}
</td></tr>`)}
</tbody></table>`}
${P.form('/console/access-keys/create', o.csrf, html`${hidden}<button type="submit">Create access key</button>`)}`;
}

/** The access keys section of one's own Security credentials. */
export async function ownAccessKeys(k: Kit, s: ActiveSession, req: ConsoleRequest, user?: string): Promise<SafeHtml> {
  const r = await k.call(s, req, 'ListAccessKeys', userParam(user));
  return accessKeysSection({ csrf: s.session.csrf, user, now: new Date(), keys: r.ok ? { ok: true, value: r.value.AccessKeyMetadata } : { ok: false, denied: r.message } });
}

function created(o: { who: P.Layout['who']; accessKeyId: string; secret: string; back: string }): SafeHtml {
  return P.page({ title: 'Access key created', who: o.who, notice: 'This is the only time the secret access key can be seen. Copy it now; if it is lost, create a new key.' }, html`
<table id="new-access-key"><tbody>
<tr><th scope="row">Access key ID</th><td><code id="access-key-id">${o.accessKeyId}</code></td></tr>
<tr><th scope="row">Secret access key</th><td><code id="secret-access-key" class="secret">${o.secret}</code></td></tr>
</tbody></table>
<p><a href="${o.back}">Done</a></p>`);
}

export const accessKeyRoutes: PageRoute = async (k, r) => {
  if (!r.post || !r.path.startsWith('/console/access-keys/')) return null;
  const user = r.form.get('user') || undefined;
  const back = { href: backTo(user), label: 'Back' };
  if (r.path === '/console/access-keys/create') {
    const c = await k.call(r.s, r.req, 'CreateAccessKey', userParam(user));
    if (!c.ok) return refused(k, r, c.code === 'LimitExceeded' ? { ...c, message: 'There are already two access keys, the most AWS allows. Delete one before creating another.' } : c, back);
    // Shown once, on this answer (no-store, like every console page); never kept in the session.
    return k.respond(200, created({ who: r.who, accessKeyId: c.value.AccessKey.AccessKeyId, secret: c.value.AccessKey.SecretAccessKey, back: back.href }));
  }
  const id = r.form.get('id') ?? '';
  if (r.path === '/console/access-keys/status') {
    const c = await k.call(r.s, r.req, 'UpdateAccessKey', { ...userParam(user), AccessKeyId: id, Status: r.form.get('status') ?? '' });
    if (!c.ok) return refused(k, r, c, back);
    return k.redirect(`${back.href}${back.href.includes('?') ? '&' : '?'}done=key-updated`);
  }
  if (r.path === '/console/access-keys/delete') {
    const c = await k.call(r.s, r.req, 'DeleteAccessKey', { ...userParam(user), AccessKeyId: id });
    if (!c.ok) return refused(k, r, c, back);
    return k.redirect(`${back.href}${back.href.includes('?') ? '&' : '?'}done=key-deleted`);
  }
  return null;
};
