// Generic AWS Query-protocol input parsing, driven by the service model: flat form parameters
// (Tags.member.1.Key=...) become a typed input object, and every modeled constraint is checked
// (required, length, pattern, enum, range, list size). Violations become one ValidationError naming each member.
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

/**
 * Parse the flat parameters of one operation into its input structure.
 * @param {object} service  a descriptor from model.js
 * @param {object} operation  the operation's model entry
 * @param {Map<string,string>} params  decoded form/query parameters
 */
export function parseInput(service, operation, params) {
  const errors = [];
  const input = operation.input
    ? parseStructure(service.shapes, service.shapes[operation.input.shape], '', '', params, errors) ?? {}
    : {};
  if (errors.length) {
    const n = errors.length;
    throw new AwsError('ValidationError', `${n} validation error${n > 1 ? 's' : ''} detected: ${errors.join('; ')}`);
  }
  return input;
}

function describeValue(shape, value) {
  if (shape.sensitive) return 'Value';
  if (value === null || value === undefined) return 'Value null';
  return `Value '${Array.isArray(value) ? `[${value.join(', ')}]` : value}'`;
}

function violation(errors, shape, value, path, constraint) {
  errors.push(`${describeValue(shape, value)} at '${path}' failed to satisfy constraint: ${constraint}`);
}

function hasPrefix(params, prefix) {
  for (const k of params.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

function parseStructure(shapes, shape, prefix, path, params, errors) {
  const out = {};
  const required = shape.required ?? [];
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const key = prefix ? `${prefix}.${name}` : name;
    const memberPath = path ? `${path}.${lowerFirst(name)}` : lowerFirst(name);
    const value = parseValue(shapes, shapes[ref.shape], key, memberPath, params, errors);
    if (value === undefined) {
      if (required.includes(name)) violation(errors, shapes[ref.shape], null, memberPath, 'Member must not be null');
    } else {
      out[name] = value;
    }
  }
  return out;
}

function parseValue(shapes, shape, key, path, params, errors) {
  switch (shape.type) {
    case 'structure':
      if (!hasPrefix(params, `${key}.`)) return undefined;
      return parseStructure(shapes, shape, key, path, params, errors);
    case 'list': return parseList(shapes, shape, key, path, params, errors);
    case 'map': return parseMap(shapes, shape, key, path, params, errors);
    default: {
      const raw = params.get(key);
      if (raw === undefined) return undefined;
      return parseScalar(shape, raw, path, errors);
    }
  }
}

function indexedKeys(params, prefix) {
  const indices = new Set();
  for (const k of params.keys()) {
    if (!k.startsWith(prefix)) continue;
    const n = Number.parseInt(k.slice(prefix.length), 10);
    if (Number.isInteger(n) && n > 0) indices.add(n);
  }
  return [...indices].sort((a, b) => a - b);
}

function parseList(shapes, shape, key, path, params, errors) {
  const prefix = `${key}.member.`;
  const indices = indexedKeys(params, prefix);
  if (indices.length === 0) {
    // Both SDKs send `Name=` for an empty list.
    if (params.get(key) === '') return checkList(shape, [], path, errors);
    return undefined;
  }
  const memberShape = shapes[shape.member.shape];
  const items = [];
  for (const i of indices) {
    const v = parseValue(shapes, memberShape, `${prefix}${i}`, `${path}.${i}.member`, params, errors);
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

function parseMap(shapes, shape, key, path, params, errors) {
  const prefix = `${key}.entry.`;
  const indices = indexedKeys(params, prefix);
  if (indices.length === 0) return params.get(key) === '' ? {} : undefined;
  const out = {};
  for (const i of indices) {
    const k = parseValue(shapes, shapes[shape.key.shape], `${prefix}${i}.key`, `${path}.${i}.key`, params, errors);
    const v = parseValue(shapes, shapes[shape.value.shape], `${prefix}${i}.value`, `${path}.${i}.value`, params, errors);
    if (k !== undefined) out[k] = v;
  }
  return out;
}

function parseScalar(shape, raw, path, errors) {
  switch (shape.type) {
    case 'string': {
      const len = [...raw].length;
      if (shape.min !== undefined && len < shape.min) {
        violation(errors, shape, raw, path, `Member must have length greater than or equal to ${shape.min}`);
      } else if (shape.max !== undefined && len > shape.max) {
        violation(errors, shape, raw, path, `Member must have length less than or equal to ${shape.max}`);
      } else if (shape.enum && !shape.enum.includes(raw)) {
        violation(errors, shape, raw, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      } else if (shape.pattern) {
        const re = compilePattern(shape.pattern);
        if (re && !re.test(raw)) violation(errors, shape, raw, path, `Member must satisfy regular expression pattern: ${shape.pattern}`);
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
