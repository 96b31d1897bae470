// Generic AWS Query-protocol input parsing, driven by the service model: flat form parameters
// (Tags.member.1.Key=...) become a typed input object, and every modeled constraint is checked
// (required, length, pattern, enum, range, list size). Violations become one ValidationError naming each member.
//
// Linear in the size of the input: the parameters are grouped by their first name segment once per level the
// model descends into (so each parameter is looked at a bounded number of times, the model's depth), a list's
// member count is checked against the model's maximum (or MAX_UNBOUNDED_LIST) before any member is parsed, and a
// string's length is checked before its pattern.
import { AwsError } from './errors.js';

const patternCache = new Map();
function compilePattern(p) {
  let re = patternCache.get(p);
  if (re === undefined) {
    try { re = new RegExp(`^(?:${p})$`, 'u'); } catch { try { re = new RegExp(`^(?:${p})$`); } catch { re = null; } }
    patternCache.set(p, re);
  }
  return re;
}

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);

/** Members allowed in a list the model leaves unbounded (ContextEntries, ActionNames, ResourceArns…). */
export const MAX_UNBOUNDED_LIST = 1000;

// Characters no string member may hold: NUL (which PostgreSQL text cannot store) and the other characters XML 1.0
// cannot carry back in a response (C0 controls other than tab, line feed and carriage return; U+FFFE, U+FFFF).
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const FORBIDDEN_RULE = 'Member must not contain control characters other than tab, line feed and carriage return';

/**
 * Parse the flat parameters of one operation into its input structure.
 * @param {object} service  a descriptor from model.js
 * @param {object} operation  the operation's model entry
 * @param {Map<string,string>} params  decoded form/query parameters
 * @param {{visits:number}} [stats]  counts how many times a parameter is looked at (tests assert the bound)
 */
export function parseInput(service, operation, params, stats = { visits: 0 }) {
  const errors = [];
  const root = { value: undefined, entries: [...params], groups: null };
  const input = operation.input
    ? parseStructure(service.shapes, service.shapes[operation.input.shape], root, '', errors, stats) ?? {}
    : {};
  if (errors.length) {
    const n = errors.length;
    throw new AwsError('ValidationError', `${n} validation error${n > 1 ? 's' : ''} detected: ${errors.join('; ')}`);
  }
  return input;
}

/**
 * A node of the parameter tree: the value given for exactly this name, and the entries below it (name relative to
 * this node). Children are grouped on first use only, so a branch the model never visits costs nothing more.
 * @typedef {{ value: string|undefined, entries: Array<[string,string]>, groups: Map<string, Node>|null }} Node
 */

/** @param {Node} node @returns {Map<string, Node>} */
function children(node, stats) {
  if (node.groups) return node.groups;
  const groups = new Map();
  for (const [key, value] of node.entries) {
    stats.visits++;
    const dot = key.indexOf('.');
    const name = dot === -1 ? key : key.slice(0, dot);
    let child = groups.get(name);
    if (!child) { child = { value: undefined, entries: [], groups: null }; groups.set(name, child); }
    if (dot === -1) child.value = value;
    else child.entries.push([key.slice(dot + 1), value]);
  }
  node.groups = groups;
  node.entries = [];
  return groups;
}

// Printable in a message and in XML: control characters are shown as \uXXXX.
const printable = (s) => s.replace(/[\u0000-\u001F\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function describeValue(shape, value) {
  if (shape.sensitive) return 'Value';
  if (value === null || value === undefined) return 'Value null';
  return `Value '${printable(Array.isArray(value) ? `[${value.join(', ')}]` : String(value))}'`;
}

function violation(errors, shape, value, path, constraint) {
  errors.push(`${describeValue(shape, value)} at '${path}' failed to satisfy constraint: ${constraint}`);
}

function parseStructure(shapes, shape, node, path, errors, stats) {
  const out = {};
  const required = shape.required ?? [];
  const groups = children(node, stats);
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const memberPath = path ? `${path}.${lowerFirst(name)}` : lowerFirst(name);
    const value = parseValue(shapes, shapes[ref.shape], groups.get(name), memberPath, errors, stats);
    if (value === undefined) {
      if (required.includes(name)) violation(errors, shapes[ref.shape], null, memberPath, 'Member must not be null');
    } else {
      out[name] = value;
    }
  }
  return out;
}

/** @param {Node|undefined} node */
function parseValue(shapes, shape, node, path, errors, stats) {
  if (!node) return undefined;
  switch (shape.type) {
    case 'structure':
      if (node.entries.length === 0 && !node.groups?.size) return undefined;
      return parseStructure(shapes, shape, node, path, errors, stats);
    case 'list': return parseList(shapes, shape, node, path, errors, stats);
    case 'map': return parseMap(shapes, shape, node, path, errors, stats);
    default:
      if (node.value === undefined) return undefined;
      return parseScalar(shape, node.value, path, errors);
  }
}

const INDEX = /^[1-9]\d{0,8}$/;

/**
 * The numbered children under `node.<word>` (member or entry), in order; or null (with a violation) when there are
 * more than the list may hold, before any of them is parsed.
 */
function indexed(node, word, shape, path, errors, stats) {
  const holder = children(node, stats).get(word);
  if (!holder) return [];
  const numbered = [];
  for (const [name, child] of children(holder, stats)) if (INDEX.test(name)) numbered.push([Number(name), child]);
  const max = shape.max ?? MAX_UNBOUNDED_LIST;
  if (numbered.length > max) {
    violation(errors, shape, `[${numbered.length} items]`, path, `Member must have length less than or equal to ${max}`);
    return null;
  }
  return numbered.sort((a, b) => a[0] - b[0]);
}

function parseList(shapes, shape, node, path, errors, stats) {
  const numbered = indexed(node, 'member', shape, path, errors, stats);
  if (numbered === null) return []; // refused: the ValidationError already names it
  if (numbered.length === 0) {
    // Both SDKs send `Name=` for an empty list.
    if (node.value === '') return checkList(shape, [], path, errors);
    return undefined;
  }
  const memberShape = shapes[shape.member.shape];
  const items = [];
  for (const [i, child] of numbered) {
    const v = parseValue(shapes, memberShape, child, `${path}.${i}.member`, errors, stats);
    if (v !== undefined) items.push(v);
  }
  return checkList(shape, items, path, errors);
}

function checkList(shape, items, path, errors) {
  if (shape.min !== undefined && items.length < shape.min) {
    violation(errors, shape, `[${items.length} items]`, path, `Member must have length greater than or equal to ${shape.min}`);
  }
  if (shape.max !== undefined && items.length > shape.max) {
    violation(errors, shape, `[${items.length} items]`, path, `Member must have length less than or equal to ${shape.max}`);
  }
  return items;
}

function parseMap(shapes, shape, node, path, errors, stats) {
  const numbered = indexed(node, 'entry', shape, path, errors, stats);
  if (numbered === null) return {}; // refused: the ValidationError already names it
  if (numbered.length === 0) return node.value === '' ? {} : undefined;
  const out = {};
  for (const [i, child] of numbered) {
    const parts = children(child, stats);
    const k = parseValue(shapes, shapes[shape.key.shape], parts.get('key'), `${path}.${i}.key`, errors, stats);
    const v = parseValue(shapes, shapes[shape.value.shape], parts.get('value'), `${path}.${i}.value`, errors, stats);
    if (k !== undefined) out[k] = v;
  }
  return out;
}

/** Length in code points, as AWS counts it, without building an array. */
function codePoints(s) {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

function parseScalar(shape, raw, path, errors) {
  switch (shape.type) {
    case 'string': {
      const len = codePoints(raw);
      if (shape.min !== undefined && len < shape.min) {
        violation(errors, shape, raw, path, `Member must have length greater than or equal to ${shape.min}`);
      } else if (shape.max !== undefined && len > shape.max) {
        violation(errors, shape, raw, path, `Member must have length less than or equal to ${shape.max}`);
      } else if (shape.enum && !shape.enum.includes(raw)) {
        violation(errors, shape, raw, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      } else if (shape.pattern && compilePattern(shape.pattern) && !compilePattern(shape.pattern).test(raw)) {
        violation(errors, shape, raw, path, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      } else if (FORBIDDEN_CHARS.test(raw)) {
        violation(errors, shape, raw, path, FORBIDDEN_RULE);
      }
      return raw;
    }
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(raw.trim())) {
        violation(errors, shape, raw, path, 'Member must be a number');
        return undefined;
      }
      const n = Number(raw.trim());
      if (shape.min !== undefined && n < shape.min) violation(errors, shape, raw, path, `Member must have value greater than or equal to ${shape.min}`);
      else if (shape.max !== undefined && n > shape.max) violation(errors, shape, raw, path, `Member must have value less than or equal to ${shape.max}`);
      return n;
    }
    case 'boolean': {
      const v = raw.toLowerCase();
      if (v !== 'true' && v !== 'false') {
        violation(errors, shape, raw, path, 'Member must be a boolean (true or false)');
        return undefined;
      }
      return v === 'true';
    }
    case 'timestamp': {
      const d = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(d.getTime())) {
        violation(errors, shape, raw, path, 'Member must be a timestamp');
        return undefined;
      }
      return d;
    }
    case 'blob': return Buffer.from(raw, 'base64');
    default: return raw;
  }
}
