// Escaping by construction: pages are built only with the html`` tag, which escapes every interpolated value
// unless it is itself the result of html`` (or of trusted(), for markup the server made, never user text).
// A forgotten escape is then impossible: a string can only enter a page escaped.

export class SafeHtml {
  readonly #text: string;
  constructor(text: string) { this.#text = text; }
  toString(): string { return this.#text; }
}

/** What html`` accepts between its parts: text (escaped), numbers, markup already built, lists of those; nothing for null/undefined/false. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Markup the server itself produced (never text from a request or the database). */
export const trusted = (markup: string): SafeHtml => new SafeHtml(markup);
