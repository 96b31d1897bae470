// What every IAM and STS handler receives: the stores, the caller and the moment of the request. Built once per
// request by the server (src/server/app.ts) and never changed afterwards.
import type { IamHandler, IamOperations } from '../aws/handlers.js';
import type { Db } from '../store/db.js';
import type { IamStore } from '../store/iam-store.js';
import type { MfaStore } from '../store/mfa-store.js';
import type { SessionStore } from '../store/session-store.js';
import type { SecretBox } from '../store/secrets.js';
import type { CallerAccount } from '../store/entities.js';
import type { KeyUsageLog } from './key-usage.js';
import type { Decision } from '../policy/index.js';
import type { EventSink } from '../events/recorder.js';
// Types only: the request context's shape is the authoriser's (src/authz/request-context.ts), which types its principal from here.
import type { ContextKeys, ContextOptions } from '../authz/request-context.js';

export interface Tag { Key: string; Value: string }

/** An STS session behind temporary credentials (absent for long-term access keys). */
export interface SessionInfo {
  /** The operation that issued it; ConsoleSignIn: a console session (src/signin), which carries MFA like the others. */
  readonly source: 'GetSessionToken' | 'AssumeRole' | 'ConsoleSignIn';
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly mfaAuthenticatedAt: Date | null;
  /** The long-term identity whose keys began the chain; null for sessions issued before origins were recorded. */
  readonly origin: Origin | null;
  readonly sourceIdentity: string | null;
  readonly tags: readonly Tag[];
  readonly transitiveTagKeys: readonly string[];
  readonly policy: string | null;
  readonly policyArns: readonly string[];
}

export interface Origin { readonly type: 'user' | 'root'; readonly id: string }

/** The authoriser's cache stamp for a user or role, read in the same query as the credential. */
export interface AuthzStamp {
  readonly version: string;
  readonly groups: readonly string[];
  readonly boundary: string | null;
  readonly tags: string;
  readonly exists: boolean;
}

interface PrincipalBase {
  readonly accountId: string;
  readonly userId: string;
  readonly arn: string;
  readonly accessKeyId: string;
  readonly session?: SessionInfo | undefined;
  readonly stamp?: AuthzStamp | undefined;
}
export interface RootPrincipal extends PrincipalBase { readonly kind: 'root' }
export interface UserPrincipal extends PrincipalBase { readonly kind: 'user'; readonly userName: string; readonly path: string }
export interface RolePrincipal extends PrincipalBase {
  readonly kind: 'assumed-role';
  readonly roleId: string;
  readonly roleName: string;
  readonly roleArn: string;
  readonly sessionName: string;
}
/** Who signed the request: built whole by the credential resolver, never changed afterwards. */
export type Principal = RootPrincipal | UserPrincipal | RolePrincipal;

/**
 * What the authoriser hands to a handler that decides for itself (STS AssumeRole evaluates the role's trust
 * policy together with the caller's identity policies).
 */
export interface Decider {
  /** The request context of this request, with what only the handler knows: the resource as it read it, MFA proven in the request. */
  context(extra?: Pick<ContextOptions, 'target' | 'mfaAuthenticatedAt'>): ContextKeys;
  decide(action: string, resource: string, context: ContextKeys): Verdict;
}

/** The authoriser's decision on one action: overall, and of the identity-based and the session policies apart. */
export interface Verdict {
  readonly decision: Decision;
  readonly identity: Decision;
  /** null when the session carries no session policies. */
  readonly session: Decision | null;
  /** Why it is denied, in AWS's words (after "on resource: <arn> "). */
  readonly why?: string | undefined;
}

export interface OperationContext {
  readonly db: Db;
  readonly store: IamStore;
  readonly mfaStore: MfaStore;
  readonly sessions: SessionStore;
  readonly secrets: SecretBox;
  /** The caller's account (always set: a request is made in an account). */
  readonly account: Account;
  readonly principal: Principal;
  readonly config: ServerConfig;
  readonly now: Date;
  readonly requestId: string;
  readonly onCredentialChange: (accessKeyId: string) => void;
  /** Access keys' recorded uses (src/iam/key-usage.ts): flushed before this node reads last-used data. */
  readonly keyUsage: Pick<KeyUsageLog, 'flush'>;
  readonly logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** The event history (src/events): never throws, never waits; absent where nothing is recorded. */
  readonly events?: EventSink | undefined;
  /** Set only for the operations the authoriser leaves to the handler (sts:AssumeRole). */
  readonly authz?: Decider | undefined;
}

/** The caller's account as a request sees it: every account field but the root password's hash (src/store/entities). */
export type Account = CallerAccount;

/** The server's configuration as the domain reads it (src/cli parses it from flags and environment). */
export interface ServerConfig {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  readonly masterKey?: string | undefined;
  readonly accountId?: string | undefined;
  readonly rootEmail?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly logLevel?: string | undefined;
  readonly trustProxy?: string | undefined;
  /** The URL users reach (--public-url): the console's sign-in link and WebAuthn's RP ID and origin come from it. */
  readonly publicUrl?: string | undefined;
  /** PEM files to serve HTTPS directly (--tls-cert, --tls-key); both or neither. */
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
  readonly mfaIssuer?: string | undefined;
  readonly stsSessionsPerMinute?: number | undefined;
  readonly stsMaxLiveSessions?: number | undefined;
  /** The continuous audit (docs/audit.md): schedule ("1h", "off"), change debounce ("5s"), webhook URL. */
  readonly auditInterval?: string | undefined;
  readonly auditDebounce?: string | undefined;
  readonly auditWebhook?: string | undefined;
  /** Append every recorded event as a JSON line to this file (for a SIEM). */
  readonly eventsFile?: string | undefined;
  /** Days the event history keeps events (default 90). */
  readonly eventRetentionDays?: number | undefined;
  /** json (default) or pretty: how log lines are written. */
  readonly logFormat?: string | undefined;
  /** HOST:PORT for GET /metrics; unset: no metrics endpoint. */
  readonly metricsAddress?: string | undefined;
  /** Outgoing mail for emailed sign-in codes: smtp://user:pass@host:port or smtps://… (--smtp-url), and the sender (--smtp-from). */
  readonly smtpUrl?: string | undefined;
  readonly smtpFrom?: string | undefined;
  /** How long a generated credential report is reused (GenerateCredentialReport), in seconds; default 4 hours. */
  readonly credentialReportMaxAgeSeconds?: number | undefined;
}

/**
 * A handler for every IAM operation, typed from the model. Each resource family's `handlers` object satisfies
 * Partial<IamHandlerMap>; src/iam/index.ts requires one for every operation Gatehouse serves.
 */
export type IamHandlerMap = { [K in keyof IamOperations]: IamHandler<K, OperationContext> };
