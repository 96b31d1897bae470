// The server's own audit runs the very collector `gatehouse audit` runs (src/audit/collect.ts, the AWS SDK over the
// public IAM API), with a transport that hands each signed request to this server's endpoint in process instead
// of a socket. The requests are signed with a credential that exists only in this process's memory (never stored,
// never listed, so it shows in no finding) and acts as the account's root, limited to the read-only calls the
// audit makes; anything else is refused before it reaches the endpoint.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { makeClients } from '../audit/collect.js';
import type { Clients } from '../audit/collect.js';
import { rootPrincipal } from '../iam/principals.js';
import type { ResolvedCredential } from '../iam/principals.js';
import type { Account } from '../iam/context.js';
import type { WireRequest, WireResponse } from '../aws/endpoint.js';

/** What the audit's collector calls (docs/audit.md "Required permissions"), and nothing else. */
export const SELF_AUDIT_ACTIONS: ReadonlySet<string> = new Set([
  'GetCallerIdentity', 'ListUsers', 'ListMFADevices', 'ListVirtualMFADevices', 'GetLoginProfile', 'ListAccessKeys',
  'GetAccountSummary', 'GenerateCredentialReport', 'GetCredentialReport', 'GetAccountAuthorizationDetails', 'SimulatePrincipalPolicy',
]);

/** A request as the SDK's transport receives it (@smithy's HttpRequest, the members read here). */
interface SdkRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | readonly string[] | null>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface SelfAudit {
  /** Whether an access key id is this process's audit credential. */
  owns(accessKeyId: string): boolean;
  /** The credential for the endpoint's resolver (the account's root principal under the audit's key). */
  credential(): Promise<ResolvedCredential | null>;
  /** SDK clients that reach the endpoint in process. */
  clients(handle: (req: WireRequest) => Promise<WireResponse>): Clients;
}

export function createSelfAudit(accountId: string, account: () => Promise<Account | undefined>): SelfAudit {
  // Not AKIA/ASIA: no stored key can ever have this id.
  const accessKeyId = `GHAUDIT${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64');

  function handler(handle: (req: WireRequest) => Promise<WireResponse>): { handle(request: SdkRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }>; updateHttpClientConfig(): void; httpHandlerConfigs(): object; destroy(): void } {
    return {
      async handle(request) {
        // A turn of the event loop before each call: without sockets the audit's calls and the SDK's parsing of
        // their answers would run back to back as one task, holding every request up for the whole run (~0.1 s).
        await nextTurn();
        const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body instanceof Uint8Array ? Buffer.from(request.body) : Buffer.alloc(0);
        const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
        if (!SELF_AUDIT_ACTIONS.has(action)) throw new Error(`the server's own audit does not call ${action || 'this operation'}`);
        const headers: IncomingHttpHeaders = {};
        const rawHeaders: string[] = [];
        for (const [k, v] of Object.entries(request.headers)) {
          headers[k.toLowerCase()] = v;
          rawHeaders.push(k, v);
        }
        const query: [string, string][] = [];
        for (const [k, v] of Object.entries(request.query ?? {})) {
          for (const one of v === null ? [''] : typeof v === 'string' ? [v] : v) query.push([k, one]);
        }
        const r = await handle({ method: request.method, path: request.path, query, headers, rawHeaders, body, sourceIp: undefined, secure: false });
        return {
          response: {
            statusCode: r.status,
            headers: { 'content-type': r.headers['content-type'], 'content-length': String(r.headers['content-length']), 'x-amzn-requestid': r.headers['x-amzn-requestid'] },
            body: Buffer.from(r.body),
          },
        };
      },
      updateHttpClientConfig() { /* nothing to configure: no sockets */ },
      httpHandlerConfigs() { return {}; },
      destroy() { /* nothing held */ },
    };
  }

  return {
    owns: (id) => id === accessKeyId,
    async credential() {
      const a = await account();
      return a ? { secret: secretAccessKey, principal: rootPrincipal(accountId, accessKeyId), account: a } : null;
    },
    clients(handle) {
      // The host only names the endpoint in the signature; nothing is resolved or connected.
      return makeClients({ endpoint: 'http://gatehouse.internal', region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, requestHandler: handler(handle), maxAttempts: 3 });
    },
  };
}
