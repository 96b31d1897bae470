// Emits TypeScript types from a vendored AWS service model (botocore JSON): structures become interfaces
// (required members non-optional), enums string-literal unions, timestamps Date, blobs Uint8Array, lists arrays,
// maps records; plus an operation map { Op: { input; output; errors } } that handlers are typed from.
// `node dist/src/aws/models/generate-types.js` rewrites the committed files; a test fails when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { modelPath, MODEL_FILES, type ServiceModel, type ShapeModel } from './model-files.js';

const PRIMITIVE: Record<string, string> = {
  string: 'string',
  integer: 'number',
  long: 'number',
  double: 'number',
  float: 'number',
  boolean: 'boolean',
  timestamp: 'Date',
  blob: 'Uint8Array',
};

/** A member's TypeScript type: primitives inline, enums/structures/lists/maps by their shape's name. */
function typeRef(shapes: Record<string, ShapeModel>, name: string): string {
  const shape = shapes[name];
  if (!shape) throw new Error(`unknown shape ${name}`);
  if (shape.type === 'string' && shape.enum) return name;
  if (shape.type === 'structure') return name;
  if (shape.type === 'list') return `${typeRef(shapes, shape.member!.shape)}[]`;
  if (shape.type === 'map') {
    const key = shapes[shape.key!.shape]!;
    const value = typeRef(shapes, shape.value!.shape);
    return key.enum ? `Partial<Record<${shape.key!.shape}, ${value}>>` : `Record<string, ${value}>`;
  }
  const p = PRIMITIVE[shape.type];
  if (!p) throw new Error(`unsupported shape type ${shape.type} (${name})`);
  return p;
}

// Where AWS's wire differs from its own model, the types follow the wire (each with its evidence).
const ENUM_ADDITIONS: Record<string, string[]> = {
  // GetUser/GetRole send PermissionsBoundaryType "Policy" (LocalStack's snapshots of real AWS), not the model's value.
  PermissionsBoundaryAttachmentType: ['Policy'],
};

const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The whole generated module for one service model. */
export function generateTypes(model: ServiceModel, file: string): string {
  const { shapes, operations } = model;
  const out: string[] = [
    `// Generated from src/aws/models/${file} by src/aws/models/generate-types.ts. Do not edit: regenerate.`,
    '/* eslint-disable */',
    '',
  ];
  const names = Object.keys(shapes).sort();
  for (const name of names) {
    const shape = shapes[name]!;
    if (shape.type === 'string' && shape.enum) {
      const values = [...shape.enum, ...(ENUM_ADDITIONS[name] ?? [])];
      out.push(`export type ${name} = ${values.map(quote).join(' | ')};`);
    }
  }
  out.push('');
  for (const name of names) {
    const shape = shapes[name]!;
    if (shape.type !== 'structure' || shape.exception) continue;
    const required = new Set(shape.required ?? []);
    const members = Object.entries(shape.members ?? {});
    if (members.length === 0) {
      out.push(`export type ${name} = Record<string, never>;`);
      continue;
    }
    out.push(`export interface ${name} {`);
    for (const [member, ref] of members) {
      out.push(`  ${member}${required.has(member) ? '' : '?'}: ${typeRef(shapes, ref.shape)};`);
    }
    out.push('}');
  }
  out.push('');
  const errorCode = (shapeName: string): string => shapes[shapeName]?.error?.code ?? shapeName.replace(/Exception$/, '');
  out.push('/** Every operation: its input, its output (an empty record when AWS returns none) and its modeled errors. */');
  out.push('export interface Operations {');
  for (const op of Object.keys(operations).sort()) {
    const o = operations[op]!;
    const input = o.input ? o.input.shape : 'Record<string, never>';
    const output = o.output ? o.output.shape : 'Record<string, never>';
    const errors = (o.errors ?? []).map((e) => quote(errorCode(e.shape)));
    out.push(`  ${op}: { input: ${input}; output: ${output}; errors: ${errors.length ? errors.join(' | ') : 'never'} };`);
  }
  out.push('}');
  out.push('');
  out.push('export type OperationName = keyof Operations;');
  out.push('');
  return out.join('\n');
}

/** Where each service's generated module lives (committed beside the model). */
export const typesPath = (service: keyof typeof MODEL_FILES): string => modelPath(`${service}.generated.ts`);

export function generateAll(): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [service, file] of Object.entries(MODEL_FILES)) {
    const model = JSON.parse(readFileSync(modelPath(file), 'utf8')) as ServiceModel;
    result[typesPath(service as keyof typeof MODEL_FILES)] = generateTypes(model, file);
  }
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of Object.entries(generateAll())) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
