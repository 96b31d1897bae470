// CloudTrail LookupEvents over the event history: the caller's account's events, newest first, in a time window
// (default the last 90 days), filtered by at most one lookup attribute, MaxResults (1-50, default 50) a page and
// an opaque NextToken that is valid only with the same parameters. Errors are CloudTrail's modeled exceptions.
import { createHash } from 'node:crypto';
import { ServiceError } from '../errors.js';
import type { LookupEventsRequest, LookupEventsResponse, Event } from '../aws/models/cloudtrail.generated.js';
import type { EventStore } from '../store/event-store.js';
import type { CloudTrailRecord } from './records.js';

export const MAX_LOOKUP_RESULTS = 50;
const WINDOW_MS = 90 * 86_400_000;

interface Cursor { readonly t: number; readonly i: string; readonly h: string }

const filterHash = (input: LookupEventsRequest): string => createHash('sha256').update(JSON.stringify([
  input.LookupAttributes ?? [], input.StartTime?.getTime() ?? null, input.EndTime?.getTime() ?? null, input.EventCategory ?? null,
])).digest('base64url').slice(0, 16);

function readCursor(token: string, hash: string): Cursor {
  const invalid = (): ServiceError => new ServiceError('InvalidNextTokenException', 'Invalid NextToken. NextToken must be one returned by LookupEvents with the same parameters.');
  let c: Partial<Cursor>;
  try {
    c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>; // checked member by member below
  } catch {
    throw invalid();
  }
  if (typeof c !== 'object' || c === null || typeof c.t !== 'number' || typeof c.i !== 'string' || c.h !== hash) throw invalid();
  return { t: c.t, i: c.i, h: c.h };
}

export async function lookupEvents(store: EventStore, accountId: string, input: LookupEventsRequest, now: Date): Promise<LookupEventsResponse> {
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length > 1) {
    throw new ServiceError('InvalidLookupAttributesException', 'You can specify only one lookup attribute per request.');
  }
  const attr = attributes[0];
  if (attr?.AttributeKey === 'ReadOnly' && attr.AttributeValue !== 'true' && attr.AttributeValue !== 'false') {
    throw new ServiceError('InvalidLookupAttributesException', "The value of the ReadOnly lookup attribute must be 'true' or 'false'.");
  }
  const to = input.EndTime?.getTime() ?? now.getTime();
  const from = input.StartTime?.getTime() ?? to - WINDOW_MS;
  if (from > to) throw new ServiceError('InvalidTimeRangeException', 'Start time must be earlier than or equal to end time.');
  const limit = input.MaxResults ?? MAX_LOOKUP_RESULTS;
  if (limit < 1 || limit > MAX_LOOKUP_RESULTS) throw new ServiceError('InvalidMaxResultsException', `MaxResults must be from 1 to ${MAX_LOOKUP_RESULTS}.`);
  const hash = filterHash(input);
  const after = input.NextToken !== undefined ? readCursor(input.NextToken, hash) : undefined;
  // Insights events are not recorded: that category has none.
  if (input.EventCategory === 'insight') return { Events: [] };

  const rows = await store.query({
    accountId, from, to, order: 'newest', limit: limit + 1,
    filters: attr ? [{ key: attr.AttributeKey, value: attr.AttributeValue }] : [],
    after: after ? { time: after.t, id: after.i } : undefined,
  });
  const page = rows.slice(0, limit);
  const resources = await store.resourcesOf(page.map((r) => r.id));
  const events: Event[] = page.map((r) => {
    const rec = JSON.parse(r.record) as Pick<CloudTrailRecord, 'eventName' | 'eventSource' | 'eventTime' | 'readOnly'>; // a record src/events wrote
    const e: Event = {
      EventId: r.id,
      EventName: rec.eventName,
      ReadOnly: String(rec.readOnly),
      EventTime: new Date(rec.eventTime),
      EventSource: rec.eventSource,
      Resources: (resources.get(r.id) ?? []).map((x) => ({ ResourceType: x.type, ResourceName: x.name })),
      CloudTrailEvent: r.record,
    };
    if (r.accessKeyId) e.AccessKeyId = r.accessKeyId;
    if (r.username) e.Username = r.username;
    return e;
  });
  const last = page[page.length - 1];
  const out: LookupEventsResponse = { Events: events };
  if (rows.length > limit && last) out.NextToken = Buffer.from(JSON.stringify({ t: last.time, i: last.id, h: hash })).toString('base64url');
  return out;
}

