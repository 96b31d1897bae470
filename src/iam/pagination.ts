// The one pagination helper: Marker/MaxItems in, IsTruncated/Marker out. Markers are opaque (the sort key of
// the last item returned), so pages stay stable while items are added or removed.
import { invalidInput } from '../errors.js';

/** What every paged IAM operation takes. */
export interface PageInput { readonly Marker?: string | undefined; readonly MaxItems?: number | undefined }

/** A decoded page request: `after` is the sort key of the last item already returned (null: from the start). */
export interface PageRequest { readonly after: string | null; readonly max: number; readonly limit: number }

/** One page of items, with the output fields every paged IAM operation has. */
export interface Page<T> { items: T[]; IsTruncated: boolean; Marker?: string }

export function pageRequest(input: PageInput, defaultMax = 100): PageRequest {
  let after: string | null = null;
  if (input.Marker !== undefined) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(input.Marker, 'base64url').toString('utf8'));
    } catch {
      decoded = undefined;
    }
    if (typeof decoded !== 'string') throw invalidInput('Invalid Marker.');
    after = decoded;
  }
  const max = input.MaxItems ?? defaultMax;
  return { after, max, limit: max + 1 };
}

/** rows were fetched with limit max+1 in key order; keyOf gives the sort key of a row. */
export function pageResult<T>(rows: T[], page: PageRequest, keyOf: (item: T) => string): Page<T> {
  const truncated = rows.length > page.max;
  const items = truncated ? rows.slice(0, page.max) : rows;
  const out: Page<T> = { items, IsTruncated: truncated };
  if (truncated) out.Marker = encodeMarker(keyOf(items[items.length - 1]!)); // truncated: at least one item
  return out;
}

/** The opaque Marker for a sort key (pageRequest decodes it into page.after). */
export function encodeMarker(key: string): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Paging over a list already in memory (tags, aliases), in its natural order. */
export function pageArray<T>(array: readonly T[], input: PageInput, keyOf: (item: T) => string): Page<T> {
  const page = pageRequest(input);
  let start = 0;
  if (page.after !== null) {
    const i = array.findIndex((x) => keyOf(x) === page.after);
    if (i < 0) throw invalidInput('Invalid Marker.');
    start = i + 1;
  }
  return pageResult(array.slice(start, start + page.limit), page, keyOf);
}
