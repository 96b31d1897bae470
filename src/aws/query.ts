// Generic AWS Query-protocol input parsing, driven by the service model: flat form parameters
// (Tags.member.1.Key=...) become a typed input object, and every modeled constraint is checked
// (required, length, pattern, enum, range, list size). Violations become one ValidationError naming each member.
//
// Linear in the size of the input: the parameters are grouped by their first name segment once per level the
// model descends into (so each parameter is looked at a bounded number of times, the model's depth), a list's
// member count is checked against the model's maximum (or MAX_UNBOUNDED_LIST) before any member is parsed, and a
// string's length is checked before its pattern.
import { unescape as unescapeForm } from 'node:querystring';
import { AwsError } from './errors.js';
import type { ServiceDescriptor } from './model.js';
import type { OperationModel, ShapeModel } from './models/model-files.js';

/** A parsed member: what the model's shape type gives (blobs as Buffer, timestamps as Date). */
export type ParsedValue = string | number | boolean | Date | Buffer | ParsedValue[] | ParsedStructure;
/** A parsed structure or map (a map entry without a value keeps its key, as undefined). */
export interface ParsedStructure { [name: string]: ParsedValue | undefined }

type Shapes = Readonly<Record<string, ShapeModel>>;

const patternCache = new Map<string, RegExp | null>();
function compilePattern(p: string): RegExp | null {
  let re = patternCache.get(p);
  if (re === undefined) {
    try { re = new RegExp(`^(?:${p})$`, 'u'); } catch { try { re = new RegExp(`^(?:${p})$`); } catch { re = null; } }
    patternCache.set(p, re);
  }
  return re;
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

// A name or value as application/x-www-form-urlencoded has it: '+' is a space, %XX a UTF-8 byte (an invalid
// sequence decodes to U+FFFD, as URLSearchParams does). Most names and values need no decoding at all.
const decodeForm = (s: string): string => (s.indexOf('%') === -1 && s.indexOf('+') === -1 ? s : unescapeForm(s.replace(/\+/g, ' ')));

/**
 * Calls add(name, value) for each pair of a form-encoded string, in order, exactly as URLSearchParams would list
 * them (empty pairs skipped, a pair without '=' has the value ''), in one pass: each character is scanned a bounded
 * number of times (`stats.scanned` counts the characters the searches pass over, for the tests).
 */
export function parseForm(str: string, add: (name: string, value: string) => void, stats: { scanned: number } = { scanned: 0 }): void {
  const n = str.length;
  let start = 0;
  let eqAt = -2; // the next '=' at or after `start` once searched (-1: none left); never searched past twice
  while (start < n) {
    let amp = str.indexOf('&', start);
    if (amp === -1) amp = n;
    stats.scanned += amp - start;
    if (amp > start) {
      if (eqAt !== -1 && eqAt < start) {
        const from = start;
        eqAt = str.indexOf('=', from);
        stats.scanned += (eqAt === -1 ? n : eqAt) - from;
      }
      if (eqAt === -1 || eqAt > amp) add(decodeForm(str.slice(start, amp)), '');
      else add(decodeForm(str.slice(start, eqAt)), decodeForm(str.slice(eqAt + 1, amp)));
    }
    start = amp + 1;
  }
}

/** Members allowed in a list the model leaves unbounded (ContextEntries, ActionNames, ResourceArns…). */
export const MAX_UNBOUNDED_LIST = 1000;

// Characters no string member may hold: NUL (which PostgreSQL text cannot store) and the other characters XML 1.0
// cannot carry back in a response (C0 controls other than tab, line feed and carriage return; U+FFFE, U+FFFF).
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const FORBIDDEN_RULE = 'Member must not contain control characters other than tab, line feed and carriage return';

/**
 * Parse the flat parameters of one operation into its input structure.
 * @param params  decoded form/query parameters
 * @param stats  counts how many times a parameter is looked at (tests assert the bound)
 */
export function parseInput(service: ServiceDescriptor, operation: OperationModel, params: ReadonlyMap<string, string>, stats: { visits: number } = { visits: 0 }): ParsedStructure {
  const errors: string[] = [];
  const root: Node = { value: -1, offset: 0, ids: null, groups: null };
  const tree: Tree = { keys: [...params.keys()], values: [...params.values()], stats, root };
  const input = operation.input
    ? parseStructure(service.shapes, service.shapes[operation.input.shape]!, root, null, errors, tree) // the model names its own shapes
    : {};
  if (errors.length) {
    const n = errors.length;
    throw new AwsError('ValidationError', `${n} validation error${n > 1 ? 's' : ''} detected: ${errors.join('; ')}`);
  }
  return input;
}

/**
 * A node of the parameter tree: the parameters whose names continue below this node's prefix (by index into the
 * tree's keys; the root stands for all of them; null: none), where the rest of their name starts (`offset`), and
 * the index of the value given for exactly this name (-1: none). Children are grouped on first use only, so a branch
 * the model never visits costs nothing more, and nothing is copied: names are read in place.
 */
interface Node { value: number; offset: number; ids: number[] | null; groups: Map<string, Node> | null }
interface Tree { readonly keys: string[]; readonly values: string[]; readonly stats: { visits: number }; readonly root: Node }

/** The node's children by next name segment, grouped on first use. */
function children(node: Node, tree: Tree): Map<string, Node> {
  if (node.groups) return node.groups;
  const groups = new Map<string, Node>();
  const { keys, stats } = tree;
  const { ids, offset } = node;
  const n = node === tree.root ? keys.length : ids ? ids.length : 0;
  let last = '';
  let lastChild: Node | null = null;
  for (let j = 0; j < n; j++) {
    const id = ids ? ids[j]! : j; // j < ids.length
    stats.visits++;
    const key = keys[id]!; // ids index keys
    const dot = key.indexOf('.', offset);
    const end = dot === -1 ? key.length : dot;
    let child: Node | undefined;
    // Consecutive parameters usually share the segment: reuse it without making a string.
    if (lastChild && end - offset === last.length && key.startsWith(last, offset)) {
      child = lastChild;
    } else {
      const name = key.slice(offset, end);
      child = groups.get(name);
      if (!child) {
        child = { value: -1, offset: end + 1, ids: null, groups: null };
        groups.set(name, child);
      }
      last = name;
      lastChild = child;
    }
    if (dot === -1) child.value = id;
    else if (child.ids) child.ids.push(id);
    else child.ids = [id];
  }
  node.groups = groups;
  node.ids = null;
  return groups;
}

/**
 * Where a member sits, for messages only: built as a chain while parsing and rendered as AWS writes it
 * ('contextEntries.3.member.contextKeyName') only when there is something to report.
 */
type Path = { readonly parent: Path | null; readonly seg: string } | { readonly parent: Path; readonly index: number; readonly suffix: string };
const render = (path: Path | null): string => {
  if (!path) return '';
  const own = 'seg' in path ? path.seg : `${path.index}.${path.suffix}`;
  return path.parent ? `${render(path.parent)}.${own}` : own;
};

// Each structure's members once: name, shape, the name as AWS writes it in a path, and whether it is required.
interface Member { readonly name: string; readonly shape: string; readonly seg: string; readonly required: boolean }
const memberLists = new WeakMap<ShapeModel, Member[]>();
function membersOf(shape: ShapeModel): Member[] {
  let list = memberLists.get(shape);
  if (!list) {
    const required = new Set(shape.required ?? []);
    list = Object.entries(shape.members ?? {}).map(([name, ref]) => ({ name, shape: ref.shape, seg: lowerFirst(name), required: required.has(name) }));
    memberLists.set(shape, list);
  }
  return list;
}

// Printable in a message and in XML: control characters are shown as \uXXXX.
const printable = (s: string): string => s.replace(/[\u0000-\u001F\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function describeValue(shape: ShapeModel, value: ParsedValue | null): string {
  if (shape.sensitive) return 'Value';
  if (value === null || value === undefined) return 'Value null';
  return `Value '${printable(Array.isArray(value) ? `[${value.join(', ')}]` : String(value))}'`;
}

function violation(errors: string[], shape: ShapeModel, value: ParsedValue | null, path: Path | null, constraint: string): void {
  errors.push(`${describeValue(shape, value)} at '${render(path)}' failed to satisfy constraint: ${constraint}`);
}

function parseStructure(shapes: Shapes, shape: ShapeModel, node: Node, path: Path | null, errors: string[], tree: Tree): ParsedStructure {
  const out: ParsedStructure = {};
  const groups = children(node, tree);
  for (const m of membersOf(shape)) {
    const memberPath: Path = { parent: path, seg: m.seg };
    const memberShape = shapes[m.shape]!; // the model names its own shapes
    const value = parseValue(shapes, memberShape, groups.get(m.name), memberPath, errors, tree);
    if (value === undefined) {
      if (m.required) violation(errors, memberShape, null, memberPath, 'Member must not be null');
    } else {
      out[m.name] = value;
    }
  }
  return out;
}

function parseValue(shapes: Shapes, shape: ShapeModel, node: Node | undefined, path: Path, errors: string[], tree: Tree): ParsedValue | undefined {
  if (!node) return undefined;
  switch (shape.type) {
    case 'structure':
      if (!node.ids?.length && !node.groups?.size) return undefined;
      return parseStructure(shapes, shape, node, path, errors, tree);
    case 'list': return parseList(shapes, shape, node, path, errors, tree);
    case 'map': return parseMap(shapes, shape, node, path, errors, tree);
    default:
      if (node.value === -1) return undefined;
      return parseScalar(shape, tree.values[node.value]!, path, errors); // node.value indexes values
  }
}

/** The list index (1…999999999) a name segment starting at `offset` gives, or -1; read in place, no string made. */
function indexAt(key: string, offset: number): number {
  let n = 0;
  let i = offset;
  for (; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 46) break; // '.'
    if (c < 48 || c > 57 || (n === 0 && c === 48) || i - offset >= 9) return -1;
    n = n * 10 + (c - 48);
  }
  return i === offset ? -1 : n;
}

/**
 * The numbered children under `node.<word>` (member or entry) as [index, node] in index order; or null (with a
 * violation) when there are more than the list may hold — found while grouping, before any member is parsed, and
 * after no more than max + 1 members have been grouped. Indices are read as numbers: no string per member.
 */
function indexed(node: Node, word: string, shape: ShapeModel, path: Path, errors: string[], tree: Tree): [number, Node][] | null {
  const holder = children(node, tree).get(word);
  if (!holder?.ids) return [];
  const max = shape.max ?? MAX_UNBOUNDED_LIST;
  const { keys, stats } = tree;
  const { ids, offset } = holder;
  const byIndex = new Map<number, Node>();
  const numbered: [number, Node][] = [];
  let sorted = true;
  let lastIndex = -1;
  let lastChild: Node | null = null;
  for (let j = 0; j < ids.length; j++) {
    stats.visits++;
    const id = ids[j]!; // j < ids.length
    const key = keys[id]!; // ids index keys
    const n = indexAt(key, offset);
    if (n === -1) continue; // not a list index: ignored, as an unknown parameter is
    const dot = key.indexOf('.', offset);
    let child: Node | null | undefined = n === lastIndex ? lastChild : byIndex.get(n);
    if (!child) {
      if (numbered.length === max) return tooMany(holder, tree, shape, path, errors, max);
      child = { value: -1, offset: dot === -1 ? key.length + 1 : dot + 1, ids: null, groups: null };
      byIndex.set(n, child);
      if (numbered.length && numbered[numbered.length - 1]![0] > n) sorted = false;
      numbered.push([n, child]);
    }
    lastIndex = n;
    lastChild = child;
    if (dot === -1) child.value = id;
    else if (child.ids) child.ids.push(id);
    else child.ids = [id];
  }
  return sorted ? numbered : numbered.sort((x, y) => x[0] - y[0]);
}

/** The violation for a list over its maximum, with the full count (one more pass over the names). */
function tooMany(holder: Node, tree: Tree, shape: ShapeModel, path: Path, errors: string[], max: number): null {
  const seen = new Set<number>();
  for (const id of holder.ids ?? []) {
    tree.stats.visits++;
    const n = indexAt(tree.keys[id]!, holder.offset); // ids index keys
    if (n !== -1) seen.add(n);
  }
  violation(errors, shape, `[${seen.size} items]`, path, `Member must have length less than or equal to ${max}`);
  return null;
}

function parseList(shapes: Shapes, shape: ShapeModel, node: Node, path: Path, errors: string[], tree: Tree): ParsedValue[] | undefined {
  const numbered = indexed(node, 'member', shape, path, errors, tree);
  if (numbered === null) return []; // refused: the ValidationError already names it
  if (numbered.length === 0) {
    // Both SDKs send `Name=` for an empty list.
    if (node.value !== -1 && tree.values[node.value] === '') return checkList(shape, [], path, errors);
    return undefined;
  }
  const memberShape = shapes[shape.member!.shape]!; // a list shape names its member, a shape of the model
  const items: ParsedValue[] = [];
  for (const [i, child] of numbered) {
    const v = parseValue(shapes, memberShape, child, { parent: path, index: i, suffix: 'member' }, errors, tree);
    if (v !== undefined) items.push(v);
  }
  return checkList(shape, items, path, errors);
}

function checkList(shape: ShapeModel, items: ParsedValue[], path: Path, errors: string[]): ParsedValue[] {
  if (shape.min !== undefined && items.length < shape.min) {
    violation(errors, shape, `[${items.length} items]`, path, `Member must have length greater than or equal to ${shape.min}`);
  }
  if (shape.max !== undefined && items.length > shape.max) {
    violation(errors, shape, `[${items.length} items]`, path, `Member must have length less than or equal to ${shape.max}`);
  }
  return items;
}

function parseMap(shapes: Shapes, shape: ShapeModel, node: Node, path: Path, errors: string[], tree: Tree): ParsedStructure | undefined {
  const numbered = indexed(node, 'entry', shape, path, errors, tree);
  if (numbered === null) return {}; // refused: the ValidationError already names it
  if (numbered.length === 0) return node.value !== -1 && tree.values[node.value] === '' ? {} : undefined;
  const keyShape = shapes[shape.key!.shape]!; // a map shape names its key and value, shapes of the model
  const valueShape = shapes[shape.value!.shape]!;
  const out: ParsedStructure = {};
  for (const [i, child] of numbered) {
    const parts = children(child, tree);
    const k = parseValue(shapes, keyShape, parts.get('key'), { parent: path, index: i, suffix: 'key' }, errors, tree);
    const v = parseValue(shapes, valueShape, parts.get('value'), { parent: path, index: i, suffix: 'value' }, errors, tree);
    if (k !== undefined) out[String(k)] = v; // a map key's shape is a string
  }
  return out;
}

/** Length in code points, as AWS counts it, without building an array. */
function codePoints(s: string): number {
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

function parseScalar(shape: ShapeModel, raw: string, path: Path, errors: string[]): ParsedValue | undefined {
  switch (shape.type) {
    case 'string': {
      const len = codePoints(raw);
      if (shape.min !== undefined && len < shape.min) {
        violation(errors, shape, raw, path, `Member must have length greater than or equal to ${shape.min}`);
      } else if (shape.max !== undefined && len > shape.max) {
        violation(errors, shape, raw, path, `Member must have length less than or equal to ${shape.max}`);
      } else if (shape.enum && !shape.enum.includes(raw)) {
        violation(errors, shape, raw, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      } else if (shape.pattern && !(compilePattern(shape.pattern)?.test(raw) ?? true)) {
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
