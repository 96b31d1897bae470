// STS: temporary credentials and the MFA context they carry.
// - GetCallerIdentity and GetSessionToken need no permission (policies cannot block authentication).
// - GetSessionToken: long-term credentials only; 900–129600 s for IAM users (default 43200), root at most 3600
//   (a longer request silently becomes 3600). With SerialNumber and TokenCode the code is checked by the one MFA
//   verifier (replay guard, drift, lock) and the session carries aws:MultiFactorAuthPresent=true.
// - AssumeRole: the role's trust policy must allow the caller (evaluated with the MFA context of this request),
//   and, unless the trust policy names the caller itself, the caller's identity policies must allow
//   sts:AssumeRole on the role. Root cannot assume roles. Role chaining is limited to one hour.
import { createHash, randomBytes } from 'node:crypto';
import { AwsError, accessDenied } from '../aws/errors.js';
import { newId, newSecretAccessKey, arn } from '../iam/arn.js';
import { verifyMfaCode } from '../iam/mfa-devices.js';
import { originOf } from '../iam/principals.js';
import { PolicyStore } from '../store/policy-store.js';
import { compilePolicy, evaluate, parsePolicyDocument } from '../policy/index.js';

const USER_DEFAULT_SECONDS = 43200;
const ROOT_MAX_SECONDS = 3600;
const ROLE_CHAINING_MAX_SECONDS = 3600;

const MFA_INVALID = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';
const MFA_LOCKED = 'MultiFactorAuthentication failed: too many failed attempts for this user; try again later.';

/** Check SerialNumber/TokenCode for the caller; returns the time of authentication or throws AccessDenied. */
async function authenticateMfa(ctx, input) {
  if (input.SerialNumber === undefined && input.TokenCode === undefined) return null;
  if (input.SerialNumber === undefined || input.TokenCode === undefined) {
    throw accessDenied('MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.');
  }
  const p = ctx.principal;
  if (p.kind !== 'user' && p.kind !== 'root') throw accessDenied(MFA_INVALID);
  const r = await verifyMfaCode(ctx, {
    serialNumber: input.SerialNumber,
    ownerType: p.kind,
    ownerId: p.kind === 'root' ? p.accountId : p.userId,
    code: input.TokenCode,
  });
  if (!r.ok) throw accessDenied(r.reason === 'locked' ? MFA_LOCKED : MFA_INVALID);
  return ctx.now;
}

/** Store a new session and return the Credentials shape (the secret and token leave only here). */
async function issue(ctx, { source, principalType, principalId, sessionName, seconds, mfaAt, mfaSerial, origin }) {
  const accessKeyId = newId.sessionKey();
  const secret = newSecretAccessKey();
  const token = `GH${randomBytes(96).toString('base64')}`;
  const expires = new Date(ctx.now.getTime() + seconds * 1000);
  await ctx.sessions.insert({
    access_key_id: accessKeyId,
    account_id: ctx.account.account_id,
    source,
    principal_type: principalType,
    principal_id: principalId,
    session_name: sessionName,
    secret_enc: ctx.secrets.seal(secret, `sts-session:${accessKeyId}`),
    token_hash: createHash('sha256').update(token).digest('hex'),
    issued_at: ctx.now.toISOString(),
    expires_at: expires.getTime(),
    mfa_authenticated_at: mfaAt ? mfaAt.toISOString() : null,
    mfa_serial: mfaSerial ?? null,
    origin_type: origin?.type ?? 'unknown',
    origin_id: origin?.id ?? principalId,
  });
  return { AccessKeyId: accessKeyId, SecretAccessKey: secret, SessionToken: token, Expiration: expires };
}

/** arn:aws:iam::ACCOUNT:role/PATH/NAME → { account, path, name } */
function parseRoleArn(value) {
  const m = /^arn:aws:iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]+)$/.exec(value);
  return m ? { account: m[1], path: m[2], name: m[3] } : null;
}

/** Does a trust-policy statement that allowed name this exact caller (not just its account)? */
function namesCaller(parsedTrust, statementIndex, principal) {
  const st = parsedTrust.statements[statementIndex];
  const aws = st?.principal?.AWS ?? [];
  const ids = [principal.arn];
  if (principal.kind === 'assumed-role') ids.push(principal.roleArn);
  return aws.some((a) => ids.includes(a));
}

export const stsHandlers = {
  async GetCallerIdentity(ctx) {
    const p = ctx.principal;
    return { UserId: p.userId, Account: p.accountId, Arn: p.arn };
  },

  async GetSessionToken(ctx, input) {
    const p = ctx.principal;
    if (p.session) throw accessDenied('Cannot call GetSessionToken with session credentials');
    const root = p.kind === 'root';
    let seconds = input.DurationSeconds ?? (root ? ROOT_MAX_SECONDS : USER_DEFAULT_SECONDS);
    if (root) seconds = Math.min(seconds, ROOT_MAX_SECONDS);
    const mfaAt = await authenticateMfa(ctx, input);
    const Credentials = await issue(ctx, {
      source: 'GetSessionToken',
      principalType: root ? 'root' : 'user',
      principalId: root ? p.accountId : p.userId,
      seconds,
      mfaAt,
      mfaSerial: mfaAt ? input.SerialNumber : null,
      origin: originOf(p),
    });
    return { Credentials };
  },

  async AssumeRole(ctx, input) {
    const p = ctx.principal;
    if (p.kind === 'root') throw accessDenied('Roles may not be assumed by root accounts.');
    if (input.Policy !== undefined || input.PolicyArns !== undefined) {
      throw new AwsError('InvalidParameterValue', 'Session policies (Policy, PolicyArns) are not supported by Gatehouse yet; call AssumeRole without them.');
    }
    const denied = () => accessDenied(`User: ${p.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
    const parsedArn = parseRoleArn(input.RoleArn);
    if (!parsedArn || parsedArn.account !== ctx.account.account_id) throw denied();
    const role = await new PolicyStore(ctx.db).getRole(ctx.account.account_id, parsedArn.name);
    if (!role || role.path !== parsedArn.path || role.name !== parsedArn.name) throw denied();

    // The request context (request-context.js, built with the role's tags as the target's), with the MFA of this
    // request: codes given here, else whatever the caller's own session carries.
    const mfaAt = await authenticateMfa(ctx, input);
    const target = { arn: input.RoleArn, type: 'role', tags: JSON.parse(role.tags) };
    const context = ctx.authz.context({ target, mfaAuthenticatedAt: mfaAt ?? undefined });

    const trustParsed = parsePolicyDocument(role.assume_role_policy, { kind: 'trust' });
    const trust = compilePolicy(trustParsed, { id: 'TrustPolicy', type: 'resource' });
    // The caller as the trust policy sees it: a role session is matched by its session ARN and by its role's ARN,
    // path included (the session ARN carries no path, so the role ARN cannot be rebuilt from it).
    const req = { action: 'sts:AssumeRole', resource: input.RoleArn, context, principal: { type: 'AWS', id: p.arn, roleArn: p.roleArn ?? null } };
    const trustResult = evaluate(req, { identity: [], resource: trust });
    if (trustResult.decision !== 'allowed') throw denied();
    const identityDecision = ctx.authz.decide('sts:AssumeRole', input.RoleArn, context).decision;
    if (identityDecision === 'explicitDeny') throw denied();
    const named = trustResult.matchedStatements.some((s) => namesCaller(trustParsed, s.statementIndex, p));
    if (identityDecision !== 'allowed' && !named) throw denied();

    const max = p.kind === 'assumed-role' ? Math.min(ROLE_CHAINING_MAX_SECONDS, Number(role.max_session_duration)) : Number(role.max_session_duration);
    const seconds = input.DurationSeconds ?? 3600;
    if (seconds > max) {
      throw new AwsError('ValidationError', `The requested DurationSeconds exceeds the ${p.kind === 'assumed-role' ? '1 hour session limit for roles assumed by role chaining' : 'MaxSessionDuration set for this role'}.`);
    }
    const Credentials = await issue(ctx, {
      source: 'AssumeRole',
      principalType: 'role',
      principalId: role.role_id,
      sessionName: input.RoleSessionName,
      seconds,
      mfaAt: mfaAt ?? p.session?.mfaAuthenticatedAt ?? null,
      mfaSerial: mfaAt ? input.SerialNumber : null,
      // The identity the new session descends from: the caller's own, carried through role chains.
      origin: originOf(p),
    });
    return {
      Credentials,
      AssumedRoleUser: {
        AssumedRoleId: `${role.role_id}:${input.RoleSessionName}`,
        Arn: arn.assumedRole(ctx.account.account_id, role.name, input.RoleSessionName),
      },
    };
  },
};
