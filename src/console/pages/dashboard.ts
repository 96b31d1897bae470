// The Dashboard: the account's security status (root MFA, root access keys, users with console access but no
// MFA) and the sign-in link, each read through the API's operations as the signed-in principal. Its data is
// assembled by dashboardData() apart from the page, so more checks (audit findings) can join the list.
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import * as P from '../pages.js';
import { signinLinks } from '../kit.js';
import type { Kit, PageRoute } from '../kit.js';
import type { ActiveSession, ConsoleRequest } from '../index.js';
import { userRows } from './users.js';

/** One line of the security status: ok, a warning, or unknown (the caller may not read it: why). */
export interface SecurityCheck {
  readonly id: string;
  readonly title: string;
  readonly status: 'ok' | 'warning' | 'unknown';
  readonly detail: string;
  readonly items?: readonly { readonly label: string; readonly href: string }[] | undefined;
}

export interface DashboardData {
  readonly accountId: string;
  readonly alias: string | null;
  readonly signinLinks: readonly string[];
  readonly checks: readonly SecurityCheck[];
}

/** The dashboard's data: every check through the same operations and authoriser as the API. */
export async function dashboardData(k: Kit, s: ActiveSession, req: ConsoleRequest): Promise<DashboardData> {
  const checks: SecurityCheck[] = [];
  const summary = await k.call(s, req, 'GetAccountSummary', {});
  if (summary.ok) {
    const m = summary.value.SummaryMap ?? {};
    checks.push(m.AccountMFAEnabled
      ? { id: 'root-mfa', title: 'Root user MFA', status: 'ok', detail: 'The root user has an MFA device.' }
      : { id: 'root-mfa', title: 'Root user MFA', status: 'warning', detail: 'The root user has no MFA device. Sign in as root and assign one under Security credentials.' });
    checks.push(m.AccountAccessKeysPresent
      ? { id: 'root-access-keys', title: 'Root user access keys', status: 'warning', detail: 'The root user has access keys. Delete them and use IAM users\' keys instead.' }
      : { id: 'root-access-keys', title: 'Root user access keys', status: 'ok', detail: 'The root user has no access keys.' });
  } else {
    for (const [id, title] of [['root-mfa', 'Root user MFA'], ['root-access-keys', 'Root user access keys']] as const) checks.push({ id, title, status: 'unknown', detail: summary.message });
  }
  const users = await userRows(k, s, req);
  if (users.ok) {
    const without = users.rows.filter((u) => u.consoleAccess === true && u.mfa !== null && u.mfa.length === 0);
    checks.push(without.length
      ? { id: 'console-users-without-mfa', title: 'Users with console access but no MFA', status: 'warning', detail: `${without.length} user${without.length === 1 ? '' : 's'} can sign in to the console with a password alone.`,
        items: without.map((u) => ({ label: u.name, href: `/console/users/view?name=${encodeURIComponent(u.name)}` })) }
      : { id: 'console-users-without-mfa', title: 'Users with console access but no MFA', status: 'ok', detail: 'Every user with console access has an MFA device.' });
  } else {
    checks.push({ id: 'console-users-without-mfa', title: 'Users with console access but no MFA', status: 'unknown', detail: users.message });
  }
  return { accountId: s.account.accountId, alias: s.account.alias, signinLinks: signinLinks(k.deps.publicUrl(), s.account), checks };
}

const STATUS_TEXT = { ok: 'OK', warning: 'Action needed', unknown: 'Not shown' } as const;

export function dashboardPage(who: NonNullable<P.Layout['who']>, d: DashboardData, notice?: string): SafeHtml {
  return P.page({ title: 'Dashboard', who, notice }, html`
<p>Account <strong>${d.accountId}</strong>${d.alias ? html` (alias <strong>${d.alias}</strong>)` : ''}.</p>
<h2>Sign-in link for IAM users</h2>
<ul id="dashboard-signin-links">${d.signinLinks.map((l) => html`<li><a href="${l}"><code>${l}</code></a></li>`)}</ul>
<h2>Security status</h2>
<table id="security-status"><thead><tr><th scope="col">Check</th><th scope="col">Status</th><th scope="col">Details</th></tr></thead><tbody>
${d.checks.map((c) => html`<tr id="check-${c.id}"><th scope="row">${c.title}</th><td class="status-${c.status}">${STATUS_TEXT[c.status]}</td><td>${c.detail}
${c.items?.length ? html`<ul>${c.items.map((i) => html`<li><a href="${i.href}">${i.label}</a></li>`)}</ul>` : ''}</td></tr>`)}
</tbody></table>`);
}

export const dashboardRoutes: PageRoute = async (k, r) => {
  if (r.path !== '/console/dashboard' || r.post) return null;
  return k.respond(200, dashboardPage(r.who, await dashboardData(k, r.s, r.req), r.notice));
};
