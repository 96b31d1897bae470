// `gatehouse settings [show] | set KEY=VALUE…`: the account's MFA settings for console sign-in, on the server
// host (the console's Account settings → Multi-factor authentication page reads and writes the same stored value).
// Same --data/--database options and GATEHOUSE_* variables as `serve`. A change applies at the next sign-in, on
// every node, and is recorded in the event history (UpdateAccountMfaSettings, eventSource "gatehouse").
import { openExistingStore } from './store.js';
import { ServiceError } from '../errors.js';
import { messageOf } from './main.js';
import type { optionValues as OptionValuesOf, OptionSpecs, OptionValues } from './main.js';
import { SETTING_KEYS, changeSettings, readSettings, settingsAsText, settingsChangeEvent } from '../signin/settings.js';
import type { MfaSettings } from '../signin/settings.js';
import { SigninSettingsStore } from '../store/signin-settings-store.js';
import { EventStore } from '../store/event-store.js';
import { openEventDatabase } from '../store/index.js';
import { storedEvent } from '../events/records.js';
import type { EventEntry } from '../events/records.js';
import type { ExistingStore } from './store.js';

const OPTIONS = {
  data: { type: 'string', env: 'GATEHOUSE_DATA', default: './.gatehouse', help: 'data folder: SQLite file and master key (as for serve)' },
  database: { type: 'string', env: 'GATEHOUSE_DATABASE_URL', default: undefined, help: 'postgres://… when the server uses PostgreSQL' },
  format: { type: 'string', env: 'GATEHOUSE_SETTINGS_FORMAT', default: 'text', help: 'text or json' },
} as const satisfies OptionSpecs;
type Options = OptionValues<typeof OPTIONS>;

const HELP = `Usage:
  gatehouse settings [show] [--format text|json] [--data DIR] [--database URL]
  gatehouse settings set KEY=VALUE [KEY=VALUE…] [--data DIR] [--database URL]

The account's MFA settings for console sign-in (docs/sign-in.md; the console's Account settings → Multi-factor
authentication page shows and changes the same values). Every sign-in reads them from the store, so a change
applies at the next sign-in on every node. \`set\` is recorded in the event history as UpdateAccountMfaSettings
(eventSource "gatehouse").
${Object.entries(SETTING_KEYS).map(([k, v]) => `  ${k.padEnd(20)} ${v}`).join('\n')}

Options:
${Object.entries(OPTIONS).map(([k, o]) => `  --${k.padEnd(10)} ${o.help}\n  ${''.padEnd(12)} env ${o.env}`).join('\n')}
`;

/** Who the event history says changed the settings from the server host. */
const BY = 'gatehouse settings (server host)';

/**
 * The change's event, written straight to the event history (the server's own recorder is another process): SQLite's
 * events file (several processes may write it) or PostgreSQL's events table. A failure is told, not fatal: the
 * settings are changed.
 */
async function recordEvent(opened: ExistingStore, o: Options, entry: EventEntry): Promise<void> {
  try {
    const events = await openEventDatabase({ dataDir: o.data, databaseUrl: o.database }, opened.db);
    try {
      await new EventStore(events.db).insertMany([storedEvent(entry)]);
    } finally {
      if (events.db !== opened.db) await events.db.close();
    }
  } catch (e) {
    process.stderr.write(`gatehouse settings: warning: the change was not recorded in the event history: ${String(messageOf(e))}\n`);
  }
}

export async function settings(argv: readonly string[], optionValues: typeof OptionValuesOf): Promise<number> {
  let o: Options;
  try {
    o = optionValues(argv, OPTIONS);
  } catch (e) {
    process.stderr.write(`gatehouse settings: ${messageOf(e)}\n\n${HELP}`);
    return 2;
  }
  if (o.help) { process.stdout.write(HELP); return 0; }
  const positionals = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && /^--(data|database|format)$/.test(argv[i - 1] ?? '')));
  const [sub = 'show', ...pairs] = positionals;
  if ((sub !== 'show' && sub !== 'set') || (sub === 'show' && pairs.length) || (sub === 'set' && !pairs.length)) {
    process.stderr.write(`gatehouse settings: ${sub === 'set' ? 'set needs KEY=VALUE pairs' : `unexpected '${[sub, ...pairs].join(' ')}'`}\n\n${HELP}`);
    return 2;
  }
  if (o.format !== 'text' && o.format !== 'json') {
    process.stderr.write(`gatehouse settings: --format is text or json\n`);
    return 2;
  }
  const changes: (readonly [string, string])[] = [];
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) { process.stderr.write(`gatehouse settings: '${p}' is not KEY=VALUE\n\n${HELP}`); return 2; }
    changes.push([p.slice(0, eq), p.slice(eq + 1)]);
  }
  let opened;
  try {
    opened = await openExistingStore(o);
  } catch (e) {
    process.stderr.write(`gatehouse settings: ${messageOf(e)}\n`);
    return 1;
  }
  try {
    const deps = { settingsStore: new SigninSettingsStore(opened.db) };
    const accountId = opened.account.accountId;
    let now: MfaSettings;
    if (sub === 'set') {
      const time = new Date();
      const event = (result: Parameters<typeof settingsChangeEvent>[0]['result']): EventEntry => settingsChangeEvent({
        accountId, principal: null, origin: { sourceIp: undefined, userAgent: undefined }, requested: changes, result, fromConsole: false, time,
      });
      let changed;
      try {
        changed = await changeSettings(deps, accountId, changes, BY, time);
      } catch (e) {
        await recordEvent(opened, o, event({ error: { code: e instanceof ServiceError ? e.code : 'InternalFailure', message: String(messageOf(e)) } }));
        throw e;
      }
      await recordEvent(opened, o, event(changed));
      now = changed.after;
    } else {
      now = await readSettings(deps, accountId);
    }
    const text = settingsAsText(now);
    process.stdout.write(o.format === 'json'
      ? `${JSON.stringify({ accountId, settings: text }, null, 2)}\n`
      : `MFA settings for console sign-in, account ${accountId}:\n${Object.entries(text).map(([k, v]) => `  ${k.padEnd(20)} ${v}`).join('\n')}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`gatehouse settings: ${messageOf(e)}\n`);
    return 2;
  } finally {
    await opened.db.close();
  }
}
