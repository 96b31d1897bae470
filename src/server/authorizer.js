// Authorisation step of the pipeline. Until the policy evaluator is wired in, only the root user and principals
// holding the AdministratorAccess managed policy (directly or through a group) may act; the evaluator replaces
// `decide` without touching any handler.
import { accessDenied } from '../aws/errors.js';
import { resourceFor } from '../iam/resources.js';
import { passwordPolicyOf } from '../iam/login-profiles.js';

import { ADMINISTRATOR_ACCESS } from '../iam/arn.js';

// Calls AWS answers for any authenticated caller, whatever its policies.
const NO_PERMISSION_NEEDED = new Set(['sts:GetCallerIdentity']);

export function createAuthorizer({ store }) {
  async function decide(ctx, action) {
    const p = ctx.principal;
    if (NO_PERMISSION_NEEDED.has(action) || p.kind === 'root') return true;
    // AllowUsersToChangePassword lets every IAM user change their own password.
    if ((action === 'iam:ChangePassword' || action === 'iam:GetAccountPasswordPolicy') && passwordPolicyOf(ctx.account)?.AllowUsersToChangePassword) return true;
    if (p.kind === 'user') return (await store.policyArnsForUser(p.userId)).includes(ADMINISTRATOR_ACCESS);
    return false;
  }

  return async function authorize(ctx, request) {
    const action = `${request.service}:${request.action}`;
    if (await decide(ctx, action)) return;
    const resource = request.service === 'iam' ? resourceFor(ctx, request.action, request.input) : '*';
    throw accessDenied(`User: ${ctx.principal.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`);
  };
}
