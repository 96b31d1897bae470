// Who is an administrator: AdministratorAccess attached to the user or to one of its groups, or any identity
// policy (managed or inline, the user's or a group's) with an Allow of `*` on `*`. Conditions are ignored on
// purpose: an admin whose rights need MFA is still an admin, and the MFA checks say whether it has one.
import type { PolicyRef, UserPolicies } from './types.js';

const ADMIN_MANAGED = /^arn:[a-z-]+:iam::aws:policy\/AdministratorAccess$/;

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** True when a parsed policy document has an Allow statement with Action `*` (or `*:*`) and Resource `*`. */
export function allowsEverything(document: unknown): boolean {
  if (typeof document !== 'object' || document === null || !('Statement' in document)) return false;
  for (const st of asList(document.Statement)) {
    if (typeof st !== 'object' || st === null || !('Effect' in st) || !('Action' in st) || !('Resource' in st)) continue;
    if (st.Effect !== 'Allow') continue;
    const actions = asList(st.Action);
    const resources = asList(st.Resource);
    if (actions.some((a) => a === '*' || a === '*:*') && resources.includes('*')) return true;
  }
  return false;
}

/** Why a user is an administrator (one line per grant), or an empty list. */
export function adminGrants(p: UserPolicies): string[] {
  const why: string[] = [];
  const managed = (a: PolicyRef): boolean => ADMIN_MANAGED.test(a.arn) || allowsEverything(a.document);
  for (const a of p.attached) if (managed(a)) why.push(`policy ${a.name} attached`);
  for (const i of p.inline) if (allowsEverything(i.document)) why.push(`inline policy ${i.name}`);
  for (const g of p.groups) {
    for (const a of g.attached) if (managed(a)) why.push(`group ${g.name}: policy ${a.name}`);
    for (const i of g.inline) if (allowsEverything(i.document)) why.push(`group ${g.name}: inline policy ${i.name}`);
  }
  return why;
}
