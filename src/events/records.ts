// CloudTrail's record format (eventVersion 1.10) for what Gatehouse records: API calls (AwsApiCall), console
// sign-ins and sign-outs (AwsConsoleSignIn, signin.amazonaws.com) and MFA code locks (AwsServiceEvent). Field
// names and shapes follow CloudTrail's record contents reference; a record never holds a secret (requestParameters
// and responseElements come from src/aws/event-elements, which leaves secrets out).
import { randomUUID } from 'node:crypto';
import type { Principal } from '../iam/context.js';
import type { StoredEvent } from '../store/event-store.js';
import type { RecordObject } from '../aws/event-elements.js';

export const EVENT_VERSION = '1.10';
/** What CloudTrail writes for a user name it does not reveal (a sign-in with an unknown user name). */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const MAX_USER_AGENT = 1024;

export interface SessionContext {
  sessionIssuer: { type?: string; principalId?: string; arn?: string; accountId?: string; userName?: string };
  webIdFederationData: Record<string, never>;
  attributes: { creationDate: string; mfaAuthenticated: 'true' | 'false' };
}

export interface UserIdentity {
  type?: 'IAMUser' | 'Root' | 'AssumedRole' | 'AWSService';
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  sessionContext?: SessionContext;
}

/** One CloudTrail record, as LookupEvents returns it in CloudTrailEvent and `gatehouse events` prints it. */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: RecordObject | null;
  responseElements: RecordObject | null;
  additionalEventData?: RecordObject;
  serviceEventDetails?: RecordObject;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
  sessionCredentialFromConsole?: 'true';
}

/** A record with what the store indexes it by. */
export interface EventEntry {
  readonly record: CloudTrailRecord;
  /** Epoch ms (the record's eventTime has whole seconds, as CloudTrail's): orders events within a second. */
  readonly time: number;
  readonly username: string | null;
  readonly resources: StoredEvent['resources'];
}

/** Where a request came from, as the record says it. */
export interface RequestOrigin { readonly sourceIp: string | undefined; readonly userAgent: string | undefined }

/**
 * An event's id: a UUID of version 7 (RFC 9562: the time in milliseconds, then random bits), not 4. Ids that grow
 * with time go at the end of the events' primary-key index (and event_resources'), where random ones put each
 * insert on a random page of an index that outgrows the cache: measured on SQLite, 10 µs of CPU an event whatever
 * the table's size, against 15 µs at 50,000 events rising to 28 µs at 300,000 with random ids.
 */
export function eventId(now = Date.now()): string {
  const u = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: its variant and random bits are kept
  const t = now.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${u.slice(15)}`;
}

const eventTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const agent = (ua: string | undefined): string => (ua ?? '').slice(0, MAX_USER_AGENT);

/** The record's userIdentity for a principal: long-term keys, or temporary credentials with their sessionContext. */
export function identityOf(p: Principal): UserIdentity {
  const s = p.session;
  const sessionContext = (issuer: SessionContext['sessionIssuer']): SessionContext | undefined => (s ? {
    sessionIssuer: issuer,
    webIdFederationData: {},
    attributes: { creationDate: eventTime(s.issuedAt), mfaAuthenticated: s.mfaAuthenticatedAt ? 'true' : 'false' },
  } : undefined);
  if (p.kind === 'root') {
    const ctx = sessionContext({});
    return { type: 'Root', principalId: p.accountId, arn: p.arn, accountId: p.accountId, accessKeyId: p.accessKeyId, ...(ctx ? { sessionContext: ctx } : {}) };
  }
  if (p.kind === 'user') {
    const ctx = sessionContext({});
    return { type: 'IAMUser', principalId: p.userId, arn: p.arn, accountId: p.accountId, accessKeyId: p.accessKeyId, userName: p.userName, ...(ctx ? { sessionContext: ctx } : {}) };
  }
  const ctx = sessionContext({ type: 'Role', principalId: p.roleId, arn: p.roleArn, accountId: p.accountId, userName: p.roleName });
  return { type: 'AssumedRole', principalId: p.userId, arn: p.arn, accountId: p.accountId, accessKeyId: p.accessKeyId, ...(ctx ? { sessionContext: ctx } : {}) };
}

/** The name LookupEvents' Username matches: the user's name, "root", or a role session's name. */
export const usernameOf = (p: Principal): string => (p.kind === 'user' ? p.userName : p.kind === 'root' ? 'root' : p.sessionName);

// The resources a request names, by its camelCase parameter, as LookupEvents lists them (ResourceType, ResourceName).
const RESOURCE_PARAMETERS: readonly (readonly [string, string])[] = [
  ['userName', 'AWS::IAM::User'], ['groupName', 'AWS::IAM::Group'], ['roleName', 'AWS::IAM::Role'], ['roleArn', 'AWS::IAM::Role'],
  ['policyArn', 'AWS::IAM::Policy'], ['policyName', 'AWS::IAM::Policy'], ['serialNumber', 'AWS::IAM::MFADevice'],
  ['virtualMFADeviceName', 'AWS::IAM::MFADevice'], ['accessKeyId', 'AWS::IAM::AccessKey'], ['instanceProfileName', 'AWS::IAM::InstanceProfile'],
];

function resourcesOf(params: RecordObject | null, response: RecordObject | null): { type: string; name: string }[] {
  const out: { type: string; name: string }[] = [];
  for (const [member, type] of RESOURCE_PARAMETERS) {
    const v = params?.[member];
    if (typeof v === 'string' && v) out.push({ type, name: v });
  }
  // A created access key or device is named in the response.
  const key = response?.accessKey;
  if (key && typeof key === 'object' && !Array.isArray(key) && typeof key.accessKeyId === 'string') out.push({ type: 'AWS::IAM::AccessKey', name: key.accessKeyId });
  const device = response?.virtualMFADevice;
  if (device && typeof device === 'object' && !Array.isArray(device) && typeof device.serialNumber === 'string') out.push({ type: 'AWS::IAM::MFADevice', name: device.serialNumber });
  return out;
}

/**
 * The eventSource of Gatehouse's own actions (gatehouse:…, src/authz/gatehouse-actions.ts), run from the console:
 * no AWS service describes them, so their source says whose they are (docs/events.md).
 */
export const GATEHOUSE_EVENT_SOURCE = 'gatehouse';

/** An API call, allowed or not, by an authenticated principal. */
export interface ApiCall extends RequestOrigin {
  readonly service: 'iam' | 'sts' | 'cloudtrail' | 'gatehouse';
  readonly action: string;
  readonly region: string;
  readonly principal: Principal;
  readonly requestId: string;
  readonly time: Date;
  readonly readOnly: boolean;
  readonly requestParameters: RecordObject | null;
  readonly responseElements: RecordObject | null;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
  /** Made by the web console on the signed-in principal's behalf. */
  readonly fromConsole?: boolean | undefined;
}

export function apiCallEvent(c: ApiCall): EventEntry {
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: identityOf(c.principal),
    eventTime: eventTime(c.time),
    eventSource: c.service === 'gatehouse' ? GATEHOUSE_EVENT_SOURCE : `${c.service}.amazonaws.com`,
    eventName: c.action,
    // IAM is a global service: CloudTrail records its calls in us-east-1 (Gatehouse's own actions likewise).
    awsRegion: c.service === 'iam' || c.service === 'gatehouse' ? 'us-east-1' : c.region,
    sourceIPAddress: c.sourceIp ?? '',
    userAgent: agent(c.userAgent),
    ...(c.error ? { errorCode: c.error.code, errorMessage: c.error.message } : {}),
    requestParameters: c.requestParameters,
    responseElements: c.error ? null : c.responseElements,
    requestID: c.requestId,
    eventID: eventId(),
    readOnly: c.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: c.principal.accountId,
    eventCategory: 'Management',
    ...(c.fromConsole ? { sessionCredentialFromConsole: 'true' as const } : {}),
  };
  return { record, time: c.time.getTime(), username: usernameOf(c.principal), resources: resourcesOf(c.requestParameters, record.responseElements) };
}

/** Who a console sign-in was for: known (user or root), or a name that matched nobody (never written down). */
export type SigninWho =
  | { readonly kind: 'user'; readonly accountId: string; readonly userId: string; readonly userName: string; readonly arn: string }
  | { readonly kind: 'root'; readonly accountId: string; readonly arn: string }
  | { readonly kind: 'unknown'; readonly accountId: string | null };

export interface ConsoleSignin extends RequestOrigin {
  readonly who: SigninWho;
  readonly success: boolean;
  /** Whether a second factor was part of this sign-in (asked for and given, right or wrong). */
  readonly mfaUsed: boolean;
  /** The device whose code was checked. */
  readonly mfaSerial?: string | undefined;
  /**
   * How the sign-in got past the second factor without one at this sign-in (docs/sign-in.md): a trusted device
   * (context-aware; MFAUsed stays "No", as CloudTrail records only an MFA performed at that sign-in) or an emailed
   * one-time code (not MFA). Recorded as additionalEventData.TrustedDevice / EmailOneTimeCode "Yes".
   */
  readonly via?: 'trusted-device' | 'email-otp' | undefined;
  /** Why a refused sign-in was refused, when it was not the credentials (CloudTrail's errorMessage). */
  readonly failureMessage?: string | undefined;
  readonly consoleUrl: string;
  readonly time: Date;
}

function signinIdentity(who: SigninWho): UserIdentity {
  if (who.kind === 'user') return { type: 'IAMUser', principalId: who.userId, arn: who.arn, accountId: who.accountId, accessKeyId: '', userName: who.userName };
  if (who.kind === 'root') return { type: 'Root', principalId: who.accountId, arn: who.arn, accountId: who.accountId, accessKeyId: '' };
  return { type: 'IAMUser', ...(who.accountId ? { accountId: who.accountId } : {}), accessKeyId: '', userName: HIDDEN };
}

const signinUsername = (who: SigninWho): string => (who.kind === 'user' ? who.userName : who.kind === 'root' ? 'root' : HIDDEN);

/** ConsoleLogin as CloudTrail writes it, so "console sign-in without MFA" detections (CIS 4.2) work unchanged. */
export function consoleLoginEvent(s: ConsoleSignin): EventEntry {
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: signinIdentity(s.who),
    eventTime: eventTime(s.time),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: s.sourceIp ?? '',
    userAgent: agent(s.userAgent),
    ...(s.success ? {} : { errorMessage: s.failureMessage ?? 'Failed authentication' }),
    requestParameters: null,
    responseElements: { ConsoleLogin: s.success ? 'Success' : 'Failure' },
    additionalEventData: {
      LoginTo: s.consoleUrl,
      MobileVersion: 'No',
      MFAUsed: s.mfaUsed ? 'Yes' : 'No',
      ...(s.mfaUsed && s.mfaSerial ? { MFAIdentifier: s.mfaSerial } : {}),
      ...(s.via === 'trusted-device' ? { TrustedDevice: 'Yes' } : s.via === 'email-otp' ? { EmailOneTimeCode: 'Yes' } : {}),
    },
    eventID: eventId(),
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: s.who.accountId ?? '',
    eventCategory: 'Management',
  };
  return { record, time: s.time.getTime(), username: signinUsername(s.who), resources: [] };
}

/** Signing out of the console (CloudTrail records no sign-out for IAM users; Gatehouse does, as ConsoleLogout). */
export function consoleLogoutEvent(p: Principal, origin: RequestOrigin, time: Date): EventEntry {
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: identityOf(p),
    eventTime: eventTime(time),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogout',
    awsRegion: 'us-east-1',
    sourceIPAddress: origin.sourceIp ?? '',
    userAgent: agent(origin.userAgent),
    requestParameters: null,
    responseElements: { ConsoleLogout: 'Success' },
    eventID: eventId(),
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: p.accountId,
    eventCategory: 'Management',
    sessionCredentialFromConsole: 'true',
  };
  return { record, time: time.getTime(), username: usernameOf(p), resources: [] };
}

/** One of Gatehouse's own actions (beyond AWS), by a signed-in principal or by an admin command on the server host. */
export interface GatehouseActionCall extends RequestOrigin {
  readonly action: string;
  readonly accountId: string;
  /** Who did it; null: an admin command on the server host (`gatehouse settings set`): userIdentity.invokedBy SERVER_HOST. */
  readonly principal: Principal | null;
  readonly requestParameters: RecordObject | null;
  readonly responseElements: RecordObject | null;
  readonly readOnly: boolean;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
  readonly fromConsole: boolean;
  readonly time: Date;
}

/**
 * A Gatehouse action whose parameters say more than the user it acts on (UpdateAccountMfaSettings: the changed
 * settings and their previous values): the API call's record (eventSource "gatehouse"), or, from the server host,
 * the same record with the host as an AWSService identity, as the host's `MfaCodesUnlocked` has.
 */
export function gatehouseActionEvent(c: GatehouseActionCall): EventEntry {
  const call = { action: c.action, region: 'us-east-1', requestId: randomUUID(), time: c.time, readOnly: c.readOnly, requestParameters: c.requestParameters, responseElements: c.responseElements, error: c.error };
  if (c.principal) return apiCallEvent({ service: 'gatehouse', principal: c.principal, ...call, sourceIp: c.sourceIp, userAgent: c.userAgent, fromConsole: c.fromConsole });
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: { type: 'AWSService', accountId: c.accountId, invokedBy: SERVER_HOST },
    eventTime: eventTime(c.time),
    eventSource: GATEHOUSE_EVENT_SOURCE,
    eventName: c.action,
    awsRegion: 'us-east-1',
    sourceIPAddress: SERVER_HOST,
    userAgent: SERVER_HOST,
    ...(c.error ? { errorCode: c.error.code, errorMessage: c.error.message } : {}),
    requestParameters: c.requestParameters,
    responseElements: c.error ? null : c.responseElements,
    requestID: call.requestId,
    eventID: eventId(),
    readOnly: c.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: c.accountId,
    eventCategory: 'Management',
  };
  return { record, time: c.time.getTime(), username: null, resources: [] };
}

/** A principal's MFA codes locked after failed checks, or unlocked by an administrator. */
export interface MfaLockChange {
  readonly locked: boolean;
  readonly accountId: string;
  readonly principalType: 'user' | 'root';
  readonly principalId: string;
  /** The user's name and ARN (root: "root" and the account's root ARN). */
  readonly userName: string;
  readonly arn: string;
  readonly lockedUntil?: Date | undefined;
  readonly failures?: number | undefined;
  /** Who lifted the lock (an unlock). */
  readonly by?: Principal | undefined;
  /** Lifted on the server host with `gatehouse mfa locks --unlock` (no IAM principal: the host's operator). */
  readonly byServerHost?: boolean | undefined;
  readonly time: Date;
}

/** Who an admin command on the server host acts as in a record (userIdentity.invokedBy): no IAM principal. */
export const SERVER_HOST = 'gatehouse.server-host';

/** MfaCodesLocked / MfaCodesUnlocked: service events (no API call of AWS's describes them). */
export function mfaLockEvent(c: MfaLockChange): EventEntry {
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: c.by ? identityOf(c.by) : { type: 'AWSService', accountId: c.accountId, invokedBy: c.byServerHost ? SERVER_HOST : 'iam.amazonaws.com' },
    eventTime: eventTime(c.time),
    eventSource: 'iam.amazonaws.com',
    eventName: c.locked ? 'MfaCodesLocked' : 'MfaCodesUnlocked',
    awsRegion: 'us-east-1',
    sourceIPAddress: 'iam.amazonaws.com',
    userAgent: 'iam.amazonaws.com',
    requestParameters: null,
    responseElements: null,
    serviceEventDetails: {
      principalType: c.principalType === 'root' ? 'Root' : 'IAMUser',
      userName: c.userName,
      arn: c.arn,
      ...(c.lockedUntil ? { lockedUntil: eventTime(c.lockedUntil) } : {}),
      ...(c.failures !== undefined ? { failedAttempts: c.failures } : {}),
      ...(c.byServerHost ? { liftedWith: 'gatehouse mfa locks --unlock' } : {}),
    },
    eventID: eventId(),
    readOnly: false,
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: c.accountId,
    eventCategory: 'Management',
  };
  const type = c.principalType === 'root' ? 'AWS::IAM::Root' : 'AWS::IAM::User';
  return { record, time: c.time.getTime(), username: c.userName, resources: [{ type, name: c.userName }] };
}

/** The entry as the store keeps it. */
export function storedEvent(e: EventEntry): StoredEvent {
  const r = e.record;
  return {
    eventId: r.eventID,
    eventTime: e.time,
    accountId: r.recipientAccountId,
    eventName: r.eventName,
    eventSource: r.eventSource,
    username: e.username,
    accessKeyId: r.userIdentity.accessKeyId || null,
    readOnly: r.readOnly,
    resources: e.resources,
    record: JSON.stringify(r),
  };
}
