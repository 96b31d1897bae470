// The one place that builds the request context a policy is evaluated against: the global condition keys AWS
// puts in every request, with AWS's presence rules. The evaluator only reads the context; whether a key is
// absent, "false" or "true" is decided here (docs/authorization.md, reference §2.1).
//
// principal (src/iam/principals.js; STS adds the temporary kinds):
//   { kind: 'root' | 'user' | 'assumed-role', accountId, userId, arn, userName?, roleId?, roleArn?, sessionName?,
//     session?: { issuedAt: Date, mfaAuthenticatedAt: Date | null } }   session ⇔ temporary credentials
// request (src/aws/endpoint.js): { service, action, input, principal, auth, sourceIp, secure }

const TYPE = { root: 'Account', user: 'User', 'assumed-role': 'AssumedRole', 'federated-user': 'FederatedUser' };

/** ISO 8601 without milliseconds, as AWS writes aws:CurrentTime. */
const isoSeconds = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An IPv4 peer arrives as ::ffff:a.b.c.d on a dual-stack socket; policies name it as a.b.c.d. */
export function normalizeSourceIp(ip) {
  if (!ip) return undefined;
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * @param {object} principal
 * @param {object} request
 * @param {{ now?: Date, tags?: {Key:string, Value:string}[] }} [extra] tags: the principal's (user's or role's) tags
 * @returns {Record<string, string>} keys as AWS spells them; absent keys are simply not there
 */
export function buildRequestContext(principal, request, { now = new Date(), tags = [] } = {}) {
  const c = {};
  const kind = principal.kind;
  c['aws:PrincipalType'] = TYPE[kind] ?? 'User';
  c['aws:PrincipalAccount'] = principal.accountId;
  // For a role session AWS gives the role's ARN here, not the assumed-role session ARN.
  c['aws:PrincipalArn'] = kind === 'assumed-role' ? (principal.roleArn ?? principal.arn) : principal.arn;
  if (kind === 'user') c['aws:username'] = principal.userName; // only IAM users carry aws:username
  c['aws:userid'] = kind === 'root' ? principal.accountId
    : kind === 'assumed-role' ? `${principal.roleId}:${principal.sessionName}`
      : principal.userId;
  for (const t of tags) c[`aws:PrincipalTag/${t.Key}`] = t.Value;

  c['aws:CurrentTime'] = isoSeconds(now);
  c['aws:EpochTime'] = String(Math.floor(now.getTime() / 1000));
  const ip = normalizeSourceIp(request.sourceIp);
  if (ip) c['aws:SourceIp'] = ip;
  c['aws:SecureTransport'] = request.secure ? 'true' : 'false';
  c['aws:ViaAWSService'] = 'false';
  // "IAM calls are always made to the us-east-1 Region"; STS reports the region the request was signed for.
  c['aws:RequestedRegion'] = request.service === 'iam' ? 'us-east-1' : (request.auth?.region ?? 'us-east-1');

  // MFA and token keys exist only for temporary credentials: absent for long-term access keys (user or root).
  const session = principal.session;
  if (session) {
    c['aws:TokenIssueTime'] = isoSeconds(session.issuedAt);
    if (session.mfaAuthenticatedAt) {
      c['aws:MultiFactorAuthPresent'] = 'true';
      c['aws:MultiFactorAuthAge'] = String(Math.max(0, Math.floor((now.getTime() - session.mfaAuthenticatedAt.getTime()) / 1000)));
    } else {
      c['aws:MultiFactorAuthPresent'] = 'false';
    }
  }
  return c;
}
