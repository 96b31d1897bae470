// The console's Event history page (CloudTrail's "Event history"): the account's events, newest first, filtered by
// one lookup attribute and a time range, a page at a time ("Next page" carries LookupEvents' NextToken), and a
// record's detail (its CloudTrail JSON). Every read is LookupEvents as the signed-in principal: authorised as
// cloudtrail:LookupEvents by the one authoriser, answered by the same domain function as the CloudTrail endpoint
// (src/events/lookup.ts), recorded like the API's. A caller without the permission gets the authoriser's words.
import { html } from '../html.js';
import type { SafeHtml } from '../html.js';
import * as P from '../pages.js';
import { refused, shortDate } from '../kit.js';
import type { PageRoute, Who } from '../kit.js';
import type { Event, LookupAttributeKey, LookupEventsRequest } from '../../aws/models/cloudtrail.generated.js';

/** Events a page shows (LookupEvents' MaxResults). */
export const EVENTS_PER_PAGE = 25;

/** The lookup attributes LookupEvents answers (src/events/lookup.ts), in CloudTrail's console order. */
const ATTRIBUTES: readonly (readonly [LookupAttributeKey, string])[] = [
  ['EventName', 'Event name'], ['Username', 'User name'], ['EventSource', 'Event source'], ['ReadOnly', 'Read-only'],
  ['AccessKeyId', 'AWS access key'], ['EventId', 'Event ID'], ['ResourceType', 'Resource type'], ['ResourceName', 'Resource name'],
];
const isAttribute = (k: string): k is LookupAttributeKey => ATTRIBUTES.some(([key]) => key === k);

/** The page's filter, as its form (GET) sends it. */
interface Filter { readonly attribute: string; readonly value: string; readonly start: string; readonly end: string }

/** The fields of a record a row shows (a record src/events wrote; anything missing shows as empty). */
interface RowFields { readonly sourceIPAddress?: string; readonly errorCode?: string }

/** "2026-12-01T02:10" (a datetime-local field, read as UTC) or a full ISO-8601 time; null: empty; undefined: invalid. */
function parseTime(text: string): Date | null | undefined {
  const t = text.trim();
  if (!t) return null;
  const d = new Date(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(t) ? `${t}Z` : t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The filter's LookupEvents input, or what is wrong with it (in words for the form). */
function lookupInput(f: Filter, nextToken: string | null): { ok: true; input: LookupEventsRequest } | { ok: false; error: string } {
  const input: LookupEventsRequest = { MaxResults: EVENTS_PER_PAGE };
  if (f.value.trim()) {
    if (!isAttribute(f.attribute)) return { ok: false, error: 'Choose a lookup attribute.' };
    input.LookupAttributes = [{ AttributeKey: f.attribute, AttributeValue: f.value.trim() }];
  }
  const start = parseTime(f.start);
  const end = parseTime(f.end);
  if (start === undefined || end === undefined) return { ok: false, error: 'Enter times as YYYY-MM-DDTHH:MM (UTC).' };
  if (start) input.StartTime = start;
  if (end) input.EndTime = end;
  if (nextToken) input.NextToken = nextToken;
  return { ok: true, input };
}

const query = (f: Filter, extra: Record<string, string> = {}): string => new URLSearchParams({
  ...(f.value.trim() ? { attribute: f.attribute, value: f.value.trim() } : {}), ...(f.start ? { start: f.start } : {}), ...(f.end ? { end: f.end } : {}), ...extra,
}).toString();

function filterForm(f: Filter): SafeHtml {
  return html`<form method="get" action="/console/events" class="inline-form" id="events-filter">
<div><label for="attribute">Lookup attribute</label><select id="attribute" name="attribute">${ATTRIBUTES.map(([k, label]) => html`<option value="${k}"${f.attribute === k ? html` selected` : ''}>${label}</option>`)}</select></div>
<div><label for="value">Value</label><input type="text" id="value" name="value" value="${f.value}" placeholder="e.g. ConsoleLogin"></div>
<div><label for="start">From (UTC)</label><input type="datetime-local" id="start" name="start" value="${f.start}"></div>
<div><label for="end">To (UTC)</label><input type="datetime-local" id="end" name="end" value="${f.end}"></div>
<button type="submit" class="secondary">Filter</button>
</form>`;
}

function row(e: Event, f: Filter): SafeHtml {
  let fields: RowFields = {};
  try {
    fields = JSON.parse(e.CloudTrailEvent ?? '{}') as RowFields; // a record src/events wrote: the two members read are strings
  } catch { /* a record that does not parse shows its indexed fields only */ }
  const detail = `/console/events/view?${query(f, { id: e.EventId ?? '' })}`;
  return html`<tr><td>${e.EventTime ? shortDate(e.EventTime) : ''}</td><td><a href="${detail}">${e.EventName ?? ''}</a></td><td>${e.Username ?? ''}</td>
<td>${fields.sourceIPAddress ?? ''}</td><td>${e.EventSource ?? ''}</td><td>${fields.errorCode ?? ''}</td></tr>`;
}

function listPage(o: { who: Who; filter: Filter; events: readonly Event[]; next: string | undefined; paged: boolean; error?: string | undefined }): SafeHtml {
  const f = o.filter;
  return P.page({ title: 'Event history', who: o.who, error: o.error }, html`
<p class="hint">The account's management events of the last 90 days (or the retention setting), newest first: API calls, console sign-ins and sign-outs, MFA locks. The same history as <code>aws cloudtrail lookup-events</code>.</p>
${filterForm(f)}
<p id="events-count">${o.events.length} event${o.events.length === 1 ? '' : 's'}${o.paged ? ' on this page' : ''}${o.next ? ' (more on the next page)' : ''}.</p>
<table id="events"><thead><tr><th scope="col">Event time</th><th scope="col">Event name</th><th scope="col">User name</th><th scope="col">Source IP address</th><th scope="col">Event source</th><th scope="col">Error code</th></tr></thead><tbody>
${o.events.map((e) => row(e, f))}
</tbody></table>
<p>${o.paged ? html`<a href="/console/events?${query(f)}">First page</a> ` : ''}${o.next ? html`<a href="/console/events?${query(f, { next: o.next })}" id="next-page">Next page</a>` : ''}</p>`);
}

function detailPage(who: Who, e: Event, f: Filter): SafeHtml {
  let pretty = e.CloudTrailEvent ?? '';
  try { pretty = JSON.stringify(JSON.parse(pretty), null, 2); } catch { /* shown as stored */ }
  return P.page({ title: `Event ${e.EventName ?? ''}`, who }, html`
<table id="event-summary"><tbody>
<tr><th scope="row">Event time</th><td>${e.EventTime ? shortDate(e.EventTime) : ''}</td></tr>
<tr><th scope="row">User name</th><td>${e.Username ?? ''}</td></tr>
<tr><th scope="row">Event source</th><td>${e.EventSource ?? ''}</td></tr>
<tr><th scope="row">Event ID</th><td><code>${e.EventId ?? ''}</code></td></tr>
<tr><th scope="row">AWS access key</th><td><code>${e.AccessKeyId ?? ''}</code></td></tr>
<tr><th scope="row">Read-only</th><td>${e.ReadOnly ?? ''}</td></tr>
<tr><th scope="row">Resources</th><td>${(e.Resources ?? []).map((r) => html`${r.ResourceType ?? ''} <code>${r.ResourceName ?? ''}</code><br>`)}</td></tr>
</tbody></table>
<h2>Event record</h2>
<pre class="policy" id="event-record">${pretty}</pre>
<p><a href="/console/events?${query(f)}">Back to Event history</a></p>`);
}

export const eventRoutes: PageRoute = async (k, r) => {
  if ((r.path !== '/console/events' && r.path !== '/console/events/view') || r.post) return null;
  const params = r.req.url.searchParams;
  const filter: Filter = { attribute: params.get('attribute') ?? 'EventName', value: params.get('value') ?? '', start: params.get('start') ?? '', end: params.get('end') ?? '' };
  if (r.path === '/console/events/view') {
    const id = params.get('id') ?? '';
    const found = await k.lookupEvents(r.s, r.req, { LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: id }], MaxResults: 1 });
    if (!found.ok) return refused(k, r, found, { href: '/console/events', label: 'Event history' });
    const e = found.value.Events?.[0];
    if (!e) return k.respond(404, P.message({ title: 'Event history', text: 'There is no such event (it may be older than the retention period).', who: r.who, link: { href: '/console/events', label: 'Event history' } }));
    return k.respond(200, detailPage(r.who, e, filter));
  }
  const next = params.get('next');
  const input = lookupInput(filter, next);
  if (!input.ok) return k.respond(400, listPage({ who: r.who, filter, events: [], next: undefined, paged: false, error: input.error }));
  const found = await k.lookupEvents(r.s, r.req, input.input);
  if (!found.ok) {
    if (found.code === 'AccessDenied') return refused(k, r, found);
    // LookupEvents' own refusals (a bad time range or token, a ReadOnly value other than true/false): said on the form.
    return k.respond(400, listPage({ who: r.who, filter, events: [], next: undefined, paged: Boolean(next), error: found.message }));
  }
  return k.respond(200, listPage({ who: r.who, filter, events: found.value.Events ?? [], next: found.value.NextToken, paged: Boolean(next) }));
};
