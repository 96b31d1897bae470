// The event history's SQL (src/events builds the records): append-only — inserts in batches, queries newest or
// oldest first with a (time, id) cursor, and the retention purge. Nothing updates or deletes a single event.
import type { Db, SqlParam } from './db.js';

/** One event as stored: the CloudTrail record's JSON and the fields LookupEvents filters on. */
export interface StoredEvent {
  readonly eventId: string;
  /** Epoch milliseconds. */
  readonly eventTime: number;
  /** The account the event belongs to ('' when none: a sign-in to an account that does not exist). */
  readonly accountId: string;
  readonly eventName: string;
  readonly eventSource: string;
  readonly username: string | null;
  readonly accessKeyId: string | null;
  readonly readOnly: boolean;
  readonly resources: readonly { readonly type: string; readonly name: string }[];
  /** The record's JSON. */
  readonly record: string;
}

/** What LookupEvents and `gatehouse events` filter on. */
export type EventFilterKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

export interface EventQuery {
  /** Only this account's events; undefined: every account's (the admin command). */
  readonly accountId?: string | undefined;
  /** Epoch ms, inclusive. */
  readonly from: number;
  /** Epoch ms, inclusive. */
  readonly to: number;
  readonly filters: readonly { readonly key: EventFilterKey; readonly value: string }[];
  /** Continue after (newest first: before) this event. */
  readonly after?: { readonly time: number; readonly id: string } | undefined;
  readonly order: 'newest' | 'oldest';
  readonly limit: number;
}

const COLUMN: Readonly<Record<Exclude<EventFilterKey, 'ResourceType' | 'ResourceName'>, string>> = {
  EventId: 'event_id', EventName: 'event_name', ReadOnly: 'read_only', Username: 'username', EventSource: 'event_source', AccessKeyId: 'access_key_id',
};

// Rows a multi-row INSERT carries: 9 parameters each, well under SQLite's and PostgreSQL's parameter limits.
const ROWS_PER_STATEMENT = 100;

interface EventRow { event_id: string; event_time: number | string; username: string | null; access_key_id: string | null; record: string }

/** One event read back: its id, time (epoch ms), the indexed user name and access key, and the record's JSON. */
export interface EventRead { readonly id: string; readonly time: number; readonly username: string | null; readonly accessKeyId: string | null; readonly record: string }

export class EventStore {
  constructor(readonly db: Db) {}

  /**
   * Appends a batch in one transaction, many rows a statement (one statement a row cost ~0.3 ms an event on
   * SQLite; an id already stored is an error: ids are random UUIDs).
   */
  async insertMany(events: readonly StoredEvent[]): Promise<void> {
    if (!events.length) return;
    const resources: [string, string, string][] = [];
    for (const e of events) {
      const seen = new Set<string>();
      for (const r of e.resources) {
        const k = `${r.type}\n${r.name}`;
        if (seen.has(k)) continue;
        seen.add(k);
        resources.push([e.eventId, r.type, r.name]);
      }
    }
    await this.db.tx(async (tx) => {
      for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
        const chunk = events.slice(i, i + ROWS_PER_STATEMENT);
        await tx.run(
          `INSERT INTO events (event_id, event_time, account_id, event_name, event_source, username, access_key_id, read_only, record) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((e) => [e.eventId, e.eventTime, e.accountId, e.eventName, e.eventSource, e.username, e.accessKeyId, e.readOnly ? 'true' : 'false', e.record]),
        );
      }
      for (let i = 0; i < resources.length; i += ROWS_PER_STATEMENT) {
        const chunk = resources.slice(i, i + ROWS_PER_STATEMENT);
        await tx.run(`INSERT INTO event_resources (event_id, resource_type, resource_name) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`, chunk.flat());
      }
    });
  }

  /** Events in the window matching every filter, in the order asked, at most limit of them. */
  async query(q: EventQuery): Promise<EventRead[]> {
    const where: string[] = ['event_time >= ?', 'event_time <= ?'];
    const params: SqlParam[] = [q.from, q.to];
    if (q.accountId !== undefined) { where.push('account_id = ?'); params.push(q.accountId); }
    for (const f of q.filters) {
      if (f.key === 'ResourceType' || f.key === 'ResourceName') {
        where.push(`event_id IN (SELECT event_id FROM event_resources WHERE ${f.key === 'ResourceType' ? 'resource_type' : 'resource_name'} = ?)`);
      } else {
        where.push(`${COLUMN[f.key]} = ?`);
      }
      params.push(f.value);
    }
    const newest = q.order === 'newest';
    if (q.after) {
      const cmp = newest ? '<' : '>';
      where.push(`(event_time ${cmp} ? OR (event_time = ? AND event_id ${cmp} ?))`);
      params.push(q.after.time, q.after.time, q.after.id);
    }
    const dir = newest ? 'DESC' : 'ASC';
    params.push(q.limit);
    const rows = await this.db.all<EventRow>(`SELECT event_id, event_time, username, access_key_id, record FROM events WHERE ${where.join(' AND ')} ORDER BY event_time ${dir}, event_id ${dir} LIMIT ?`, params);
    return rows.map((r) => ({ id: r.event_id, time: Number(r.event_time), username: r.username, accessKeyId: r.access_key_id, record: r.record }));
  }

  /** The resources of these events, by event id. */
  async resourcesOf(ids: readonly string[]): Promise<Map<string, { type: string; name: string }[]>> {
    const out = new Map<string, { type: string; name: string }[]>();
    if (!ids.length) return out;
    const rows = await this.db.all<{ event_id: string; resource_type: string; resource_name: string }>(
      `SELECT event_id, resource_type, resource_name FROM event_resources WHERE event_id IN (${ids.map(() => '?').join(', ')})`, ids);
    for (const r of rows) {
      const list = out.get(r.event_id) ?? [];
      list.push({ type: r.resource_type, name: r.resource_name });
      out.set(r.event_id, list);
    }
    return out;
  }

  /** Removes the events older than `before` (epoch ms): the retention setting. Returns how many went. */
  async purgeBefore(before: number): Promise<number> {
    return this.db.tx(async (tx) => {
      await tx.run('DELETE FROM event_resources WHERE event_id IN (SELECT event_id FROM events WHERE event_time < ?)', [before]);
      return (await tx.run('DELETE FROM events WHERE event_time < ?', [before])).changes;
    });
  }
}
