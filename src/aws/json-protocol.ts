// AWS's JSON protocol (application/x-amz-json-1.1, X-Amz-Target), generic and driven by the service model, as
// the Query protocol is in query.ts and xml.ts: a request body becomes a typed input by walking the input shape,
// with every modeled constraint checked (required members, types, string lengths, patterns, enums, numeric
// ranges, list sizes; all violations named in one message), and a typed output becomes the JSON body by walking
// the output shape (timestamps as epoch seconds). Errors leave as {"__type": code, "message": …}.
import type { ShapeModel, ServiceModel, OperationModel } from './models/model-files.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** A request body larger than this is refused before it is parsed (LookupEvents needs well under 4 KiB). */
export const MAX_JSON_BODY = 64 * 1024;

type Shapes = Readonly<Record<string, ShapeModel>>;

/** A JSON value as parsed. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A parsed member: what the model's shape type gives (timestamps as Date). */
export type JsonInput = string | number | boolean | Date | JsonInput[] | { [name: string]: JsonInput };

/** One constraint a member failed, with the top-level member it sits under (to pick a modeled error). */
export interface JsonViolation { readonly topMember: string; readonly text: string }

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const printable = (s: string): string => s.replace(/[\u0000-\u001F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const patternCache = new Map<string, RegExp | null>();
function compilePattern(p: string): RegExp | null {
  let re = patternCache.get(p);
  if (re === undefined) {
    try { re = new RegExp(`^(?:${p})$`, 'u'); } catch { re = null; }
    patternCache.set(p, re);
  }
  return re;
}

/** The body's JSON, or null when it is not JSON (an empty body is an empty object, as the SDKs send it). */
export function parseJsonBody(body: Buffer | undefined): JsonValue | null {
  const text = body?.toString('utf8').trim() ?? '';
  if (!text) return {};
  try {
    return JSON.parse(text) as JsonValue; // JSON.parse returns a JSON value
  } catch {
    return null;
  }
}

/** The operation's input from a parsed body; violations are collected, not thrown (the caller picks the error). */
export function parseJsonInput(model: ServiceModel, operation: OperationModel, body: JsonValue): { input: { [name: string]: JsonInput }; violations: JsonViolation[] } {
  const violations: JsonViolation[] = [];
  if (!operation.input) return { input: {}, violations };
  const shape = model.shapes[operation.input.shape]!; // the model names its own shapes
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    violations.push({ topMember: '', text: 'The request body must be a JSON object' });
    return { input: {}, violations };
  }
  const input: { [name: string]: JsonInput } = {};
  const required = new Set(shape.required ?? []);
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const before = violations.length;
    const v = parseValue(model.shapes, ref.shape, body[name], lowerFirst(name), name, violations);
    if (v === undefined) {
      if (required.has(name) && violations.length === before) violations.push({ topMember: name, text: `Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null` });
    } else {
      input[name] = v;
    }
  }
  return { input, violations };
}

function fail(violations: JsonViolation[], top: string, path: string, value: string, constraint: string): undefined {
  violations.push({ topMember: top, text: `Value ${value} at '${path}' failed to satisfy constraint: ${constraint}` });
  return undefined;
}

const shown = (v: JsonValue | undefined): string => (typeof v === 'string' ? `'${printable(v.length > 256 ? `${v.slice(0, 256)}…` : v)}'` : `'${printable(JSON.stringify(v) ?? 'undefined').slice(0, 256)}'`);

function parseValue(shapes: Shapes, shapeName: string, value: JsonValue | undefined, path: string, top: string, violations: JsonViolation[]): JsonInput | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = shapes[shapeName]!; // the model names its own shapes
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail(violations, top, path, shown(value), 'Member must be a structure');
      const out: { [name: string]: JsonInput } = {};
      const required = new Set(shape.required ?? []);
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const memberPath = `${path}.${lowerFirst(name)}`;
        const before = violations.length;
        const v = parseValue(shapes, ref.shape, value[name], memberPath, top, violations);
        if (v === undefined) {
          if (required.has(name) && violations.length === before) violations.push({ topMember: top, text: `Value null at '${memberPath}' failed to satisfy constraint: Member must not be null` });
        } else {
          out[name] = v;
        }
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return fail(violations, top, path, shown(value), 'Member must be a list');
      const max = shape.max ?? 1000;
      if (value.length > max) return fail(violations, top, path, `'[${value.length} items]'`, `Member must have length less than or equal to ${max}`);
      if (shape.min !== undefined && value.length < shape.min) return fail(violations, top, path, `'[${value.length} items]'`, `Member must have length greater than or equal to ${shape.min}`);
      const items: JsonInput[] = [];
      value.forEach((item, i) => {
        const v = parseValue(shapes, shape.member!.shape, item, `${path}.${i + 1}.member`, top, violations); // a list names its member
        if (v !== undefined) items.push(v);
      });
      return items;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail(violations, top, path, shown(value), 'Member must be a map');
      const out: { [name: string]: JsonInput } = {};
      for (const [k, item] of Object.entries(value)) {
        const v = parseValue(shapes, shape.value!.shape, item, `${path}.${k}`, top, violations); // a map names its value
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    case 'string': {
      if (typeof value !== 'string') return fail(violations, top, path, shown(value), 'Member must be a string');
      const len = [...value].length;
      if (shape.min !== undefined && len < shape.min) return fail(violations, top, path, shown(value), `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && len > shape.max) return fail(violations, top, path, shown(value), `Member must have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(value)) return fail(violations, top, path, shown(value), `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.pattern && !(compilePattern(shape.pattern)?.test(value) ?? true)) return fail(violations, top, path, shown(value), `Member must satisfy regular expression pattern: ${shape.pattern}`);
      if (FORBIDDEN_CHARS.test(value)) return fail(violations, top, path, shown(value), 'Member must not contain control characters other than tab, line feed and carriage return');
      return value;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail(violations, top, path, shown(value), 'Member must be an integer');
      if (shape.min !== undefined && value < shape.min) return fail(violations, top, path, `'${value}'`, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) return fail(violations, top, path, `'${value}'`, `Member must have value less than or equal to ${shape.max}`);
      return value;
    }
    case 'double':
    case 'float':
      if (typeof value !== 'number') return fail(violations, top, path, shown(value), 'Member must be a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') return fail(violations, top, path, shown(value), 'Member must be a boolean');
      return value;
    case 'timestamp': {
      // The SDKs send epoch seconds (a number); an ISO-8601 string is taken too.
      const d = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
      if (Number.isNaN(d.getTime())) return fail(violations, top, path, shown(value), 'Member must be a timestamp');
      return d;
    }
    case 'blob':
      if (typeof value !== 'string') return fail(violations, top, path, shown(value), 'Member must be a base64 string');
      return value;
    default:
      return undefined;
  }
}

/** The typed output as the JSON body: members in model order, timestamps as epoch seconds, absent members left out. */
export function serializeJsonOutput(model: ServiceModel, operation: OperationModel, output: object): string {
  if (!operation.output) return '{}';
  return JSON.stringify(toJson(model.shapes, operation.output.shape, output));
}

// `value` is what the handler returned for this shape: its type is the generated one for the same model.
function toJson(shapes: Shapes, shapeName: string, value: unknown): JsonValue {
  const shape = shapes[shapeName]!; // the model names its own shapes
  switch (shape.type) {
    case 'structure': {
      const out: { [k: string]: JsonValue } = {};
      const struct = value as Readonly<Record<string, unknown>>; // a structure's value: an object
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = struct[name];
        if (v === undefined || v === null) continue;
        out[name] = toJson(shapes, ref.shape, v);
      }
      return out;
    }
    case 'list': return (value as readonly unknown[]).map((v) => toJson(shapes, shape.member!.shape, v)); // a list's value: an array
    case 'map': return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJson(shapes, shape.value!.shape, v)])); // a map's value: a record
    case 'timestamp': return (value instanceof Date ? value.getTime() : new Date(String(value)).getTime()) / 1000;
    case 'blob': return Buffer.from(value as Uint8Array).toString('base64'); // a blob's value: bytes
    case 'boolean': return Boolean(value);
    case 'integer': case 'long': case 'double': case 'float': return Number(value);
    default: return String(value);
  }
}

/** A JSON-protocol error body. */
export const serializeJsonError = (code: string, message: string): string => JSON.stringify({ __type: code, message });
