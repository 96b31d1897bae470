// Every setting of `gatehouse serve`: its flag, its environment variable, its key in the config file and its
// default, in one table. The admin commands (hardware-tokens, root-access-key, mfa locks, env) read the same
// data/database settings from the same places, so they find the server's store wherever it is configured.
//
// Precedence, highest first: the command-line flag, the environment variable, the config file, the default.
// The config file is TOML (smol-toml), named by --config FILE or GATEHOUSE_CONFIG; its keys are the flags' names
// without the dashes (port = 4555, data = "/var/lib/gatehouse", metrics-address = "127.0.0.1:9464"). A key that
// is not a setting is refused, naming the key, so a typo never silently falls back to a default.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'smol-toml';

/** A command's flag: parsed as a string, else read from its environment variable, else its default. */
export interface OptionSpec {
  readonly type: 'string';
  readonly env: string;
  readonly default: string | undefined;
  readonly help: string;
}
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export const SETTINGS = {
  port: { type: 'string', env: 'GATEHOUSE_PORT', default: '4555', help: 'TCP port to listen on (0 picks a free one)' },
  host: { type: 'string', env: 'GATEHOUSE_HOST', default: '127.0.0.1', help: 'address to bind' },
  data: { type: 'string', env: 'GATEHOUSE_DATA', default: './.gatehouse', help: 'data folder: SQLite file, master key, bootstrap.json' },
  database: { type: 'string', env: 'GATEHOUSE_DATABASE_URL', default: undefined, help: 'postgres://… to use PostgreSQL (default: SQLite in the data folder)' },
  'account-id': { type: 'string', env: 'GATEHOUSE_ACCOUNT_ID', default: undefined, help: '12-digit account id for a new store (default: random)' },
  'root-email': { type: 'string', env: 'GATEHOUSE_ROOT_EMAIL', default: 'root@gatehouse.local', help: "root user's email for a new store" },
  'log-level': { type: 'string', env: 'GATEHOUSE_LOG_LEVEL', default: 'info', help: 'fatal, error, warn, info, debug' },
  'log-format': { type: 'string', env: 'GATEHOUSE_LOG_FORMAT', default: 'json', help: 'json (one object a line) or pretty (for a terminal)' },
  workers: { type: 'string', env: 'GATEHOUSE_WORKERS', default: '1', help: 'server processes sharing the port (stateless; all state is in the store)' },
  'trust-proxy': { type: 'string', env: 'GATEHOUSE_TRUST_PROXY', default: undefined, help: 'proxies (addresses, CIDR blocks, comma-separated) whose X-Forwarded-For/-Proto set aws:SourceIp and aws:SecureTransport (default: none)' },
  'metrics-address': { type: 'string', env: 'GATEHOUSE_METRICS_ADDRESS', default: undefined, help: 'HOST:PORT serving Prometheus metrics at /metrics (default: off; never the public port)' },
  'mfa-issuer': { type: 'string', env: 'GATEHOUSE_MFA_ISSUER', default: 'Gatehouse', help: 'issuer name authenticator apps show' },
  'sts-sessions-per-minute': { type: 'string', env: 'GATEHOUSE_STS_SESSIONS_PER_MINUTE', default: '60', help: 'new STS sessions per identity per minute' },
  'sts-max-live-sessions': { type: 'string', env: 'GATEHOUSE_STS_MAX_LIVE_SESSIONS', default: '1000', help: 'unexpired STS sessions per identity' },
  'credential-report-max-age': { type: 'string', env: 'GATEHOUSE_CREDENTIAL_REPORT_MAX_AGE', default: '14400', help: 'seconds a generated credential report is reused (AWS: 4 hours)' },
  'public-url': { type: 'string', env: 'GATEHOUSE_PUBLIC_URL', default: undefined, help: "the URL users reach, e.g. https://iam.example.com (the console's sign-in link, WebAuthn's RP ID; default http(s)://localhost:PORT)" },
  'tls-cert': { type: 'string', env: 'GATEHOUSE_TLS_CERT', default: undefined, help: 'PEM certificate (chain) file: serve HTTPS directly (with --tls-key)' },
  'tls-key': { type: 'string', env: 'GATEHOUSE_TLS_KEY', default: undefined, help: 'PEM private key file of --tls-cert' },
  'audit-interval': { type: 'string', env: 'GATEHOUSE_AUDIT_INTERVAL', default: '1h', help: 'run the MFA/credential audit this often (1h, 30m, …; off: no monitoring)' },
  'audit-debounce': { type: 'string', env: 'GATEHOUSE_AUDIT_DEBOUNCE', default: '5s', help: 'audit again this long after the last change that can alter a finding' },
  'audit-webhook': { type: 'string', env: 'GATEHOUSE_AUDIT_WEBHOOK', default: undefined, help: 'POST a JSON notification here when a finding starts or stops failing' },
  'events-file': { type: 'string', env: 'GATEHOUSE_EVENTS_FILE', default: undefined, help: 'also append every event as a JSON line to this file (for a SIEM)' },
  'event-retention-days': { type: 'string', env: 'GATEHOUSE_EVENT_RETENTION_DAYS', default: '90', help: 'days the event history keeps events' },
  'smtp-url': { type: 'string', env: 'GATEHOUSE_SMTP_URL', default: undefined, help: 'smtp://[user:pass@]host:port or smtps://… to send emailed sign-in codes (default: none, no mail is sent)' },
  'smtp-from': { type: 'string', env: 'GATEHOUSE_SMTP_FROM', default: undefined, help: 'the From address of emailed sign-in codes (default: Gatehouse <gatehouse@localhost>)' },
} as const satisfies OptionSpecs;

/** Where the config file is named: --config FILE, else GATEHOUSE_CONFIG. */
export const CONFIG_ENV = 'GATEHOUSE_CONFIG';

/** A config file's settings, as strings by key (the file may write numbers and booleans bare). */
export type FileSettings = ReadonlyMap<string, string>;

const cache = new Map<string, FileSettings>();

/** Reads and checks a config file; throws naming the file and the first unknown or malformed key. */
export function readConfigFile(file: string): FileSettings {
  const path = resolve(file);
  const cached = cache.get(path);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`); // fs errors carry a code
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text);
  } catch (e) {
    throw new Error(`the config file ${path} is not valid TOML: ${e instanceof Error ? e.message.split('\n')[0] : 'parse error'}`);
  }
  const known = Object.keys(SETTINGS);
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(doc)) {
    if (!Object.hasOwn(SETTINGS, key)) {
      throw new Error(`the config file ${path} has an unknown setting '${key}'; the settings are: ${known.join(', ')}`);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`the config file ${path}: setting '${key}' must be a string or a number`);
    }
    out.set(key, String(value));
  }
  cache.set(path, out);
  return out;
}

/** The config file named by the flag or the environment, if any. */
export function configFileSettings(flag: string | undefined): FileSettings {
  const file = flag ?? process.env[CONFIG_ENV];
  return file ? readConfigFile(file) : new Map();
}
