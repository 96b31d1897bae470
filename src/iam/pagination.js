// The one pagination helper: Marker/MaxItems in, IsTruncated/Marker out. Markers are opaque (the sort key of
// the last item returned), so pages stay stable while items are added or removed.
import { AwsError } from '../aws/errors.js';

export function pageRequest(input, defaultMax = 100) {
  let after = null;
  if (input.Marker !== undefined) {
    try {
      after = JSON.parse(Buffer.from(input.Marker, 'base64url').toString('utf8'));
    } catch {
      after = undefined;
    }
    if (after === undefined || after === null || typeof after !== 'string') throw new AwsError('InvalidInput', 'Invalid Marker.');
  }
  const max = input.MaxItems ?? defaultMax;
  return { after, max, limit: max + 1 };
}

/** rows were fetched with limit max+1 in key order; keyOf gives the sort key of a row. */
export function pageResult(rows, page, keyOf) {
  const truncated = rows.length > page.max;
  const items = truncated ? rows.slice(0, page.max) : rows;
  const out = { items, IsTruncated: truncated };
  if (truncated) out.Marker = encodeMarker(keyOf(items[items.length - 1]));
  return out;
}

/** The opaque Marker for a sort key (pageRequest decodes it into page.after). */
export function encodeMarker(key) {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Paging over a list already in memory (tags, aliases), in its natural order. */
export function pageArray(array, input, keyOf) {
  const page = pageRequest(input);
  let start = 0;
  if (page.after !== null) {
    const i = array.findIndex((x) => keyOf(x) === page.after);
    if (i < 0) throw new AwsError('InvalidInput', 'Invalid Marker.');
    start = i + 1;
  }
  return pageResult(array.slice(start, start + page.limit), page, keyOf);
}
