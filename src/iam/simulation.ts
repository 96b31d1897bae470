// The policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy, GetContextKeysForPrincipalPolicy and
// GetContextKeysForCustomPolicy. The same evaluator (src/policy) that authorises every request decides each
// simulated action; the principal's policies come from principal-policies.js, the one place that gathers them.
// See docs/compliance.md for AWS's rules followed here and the decisions taken where AWS is silent.
import type { IamHandler, IamOperations } from '../aws/handlers.js';
import type {
  ContextEntry, EvaluationResult, PolicySourceType, Position, SimulatePolicyResponse, SimulatePrincipalPolicyRequest, Statement,
} from '../aws/models/iam.generated.js';
import { invalidInput, noSuchEntity, ServiceError } from '../errors.js';
import { compilePolicy, DEFAULT_WORK_LIMIT, evaluate, lastWorkUsed, getContextKeys, parseCidr, parseDate, parseNumber, parsePolicyDocument, splitArn } from '../policy/index.js';
import type { CompiledPolicy, ParsedPolicy, PolicyKind, SourcePolicyType, StatementRef } from '../policy/index.js';
import { arn as arns } from './arn.js';
import type { OperationContext, Tag } from './context.js';
import { encodeMarker, pageRequest } from './pagination.js';
import { policyStore, withPolicyErrors } from './policies.js';
import { principalPolicyDocuments } from './principal-policies.js';

// ---------------------------------------------------------------------------------------------------------------
// Statement positions: line and column (1-based) of each Statement's opening and closing brace in the document.

/** Where each statement of a document starts and ends (line and column of its braces). */
export interface StatementSpan { readonly start: Position | undefined; readonly end: Position | undefined }

/** The span of each statement of a valid JSON policy document, by statement index. */
export function statementPositions(text: string): StatementSpan[] {
  let i = 0;
  // text[i]! below: read only while i < text.length.
  const ws = (): void => { while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++; };
  const skipString = (): void => { i++; while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1; i++; };
  const readString = (): unknown => { const s = i; skipString(); return JSON.parse(text.slice(s, i)); };
  // Skip any value; return [startOffset, lastCharOffset].
  const skipValue = (): [number, number] => {
    ws();
    const s = i;
    const c = text[i];
    if (c === '"') skipString();
    else if (c === '{' || c === '[') {
      let depth = 0;
      do {
        if (text[i] === '"') { skipString(); continue; }
        if (text[i] === '{' || text[i] === '[') depth++;
        else if (text[i] === '}' || text[i] === ']') depth--;
        i++;
      } while (depth > 0 && i < text.length);
    } else { while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++; }
    return [s, i - 1];
  };
  const spans: [number, number][] = [];
  ws();
  if (text[i] !== '{') return [];
  i++;
  for (;;) {
    ws();
    if (text[i] !== '"') break;
    const key = readString();
    ws(); i++; // ':'
    ws();
    if (key === 'Statement' && text[i] === '[') {
      i++;
      for (;;) {
        ws();
        if (text[i] === ']') { i++; break; }
        spans.push(skipValue());
        ws();
        if (text[i] === ',') i++;
      }
    } else if (key === 'Statement') {
      spans.push(skipValue());
    } else skipValue();
    ws();
    if (text[i] === ',') i++; else break;
  }
  // Offsets → line/column in one pass.
  const wanted = spans.flat();
  const at = new Map<number, Position>();
  let line = 1;
  let col = 1;
  const sorted = [...wanted].sort((a, b) => a - b);
  let k = 0;
  for (let p = 0; p < text.length && k < sorted.length; p++) {
    while (k < sorted.length && sorted[k] === p) { at.set(p, { Line: line, Column: col }); k++; }
    if (text[p] === '\n') { line++; col = 1; } else col++;
  }
  return spans.map(([s, e]) => ({ start: at.get(s), end: at.get(e) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs

/** Parse one supplied document; a bad one is InvalidInput naming the parameter (Simulate* model no MalformedPolicyDocument). */
function parseInputDocument(text: string, where: string, kind: PolicyKind = 'identity'): ParsedPolicy {
  return withPolicyErrors(() => parsePolicyDocument(text, { kind, writeTime: true }),
    (e) => invalidInput(`${where}: ${e.message}${e.detail ? ` (${e.detail})` : ''}`));
}

/** A stored document is valid (checked at write time); failing here is a PolicyEvaluation error (500), not the caller's. */
function parseStoredDocument(text: string, name: string): ParsedPolicy {
  return withPolicyErrors(() => parsePolicyDocument(text, { kind: 'identity' }),
    (e) => new ServiceError('PolicyEvaluation', `Policy ${name} could not be evaluated: ${e.message}`));
}

type EntityType = 'user' | 'group' | 'role';
/** A user, group or role row, as much as the simulator reads of it. */
interface EntityRow {
  readonly name: string;
  readonly path: string;
  readonly userId?: string;
  readonly groupId?: string;
  readonly roleId?: string;
  readonly permissionsBoundary?: string | null;
  /** Users' and roles' tags. */
  readonly tags?: readonly Tag[];
}
/** The IAM user, group or role a simulation names. */
interface SimulatedEntity { readonly type: EntityType; readonly row: EntityRow; readonly arn: string }

/** The IAM user, group or role an ARN names, in the caller's account; NoSuchEntity if absent, InvalidInput if not such an ARN. */
async function resolveEntity(ctx: OperationContext, entityArn: string, { usersOnly = false, param = 'PolicySourceArn' } = {}): Promise<SimulatedEntity> {
  const parts = splitArn(entityArn);
  const m = parts && parts[2] === 'iam' && parts[3] === '' && /^(user|group|role)(\/.*)$/.exec(parts[5]);
  if (!parts || !m || !/^\d{12}$/.test(parts[4]) || (usersOnly && m[1] !== 'user')) {
    throw invalidInput(`Invalid ARN in ${param}: ${entityArn}${usersOnly ? ' (the ARN of an IAM user is required)' : ' (the ARN of an IAM user, group or role is required)'}`);
  }
  const type = m[1] as EntityType; // the pattern's first group is one of the three
  const rest = m[2]!; // the pattern's second group always matches
  const name = rest.slice(rest.lastIndexOf('/') + 1);
  const path = rest.slice(0, rest.lastIndexOf('/') + 1);
  const accountId = ctx.account.accountId;
  let row: EntityRow | null | undefined = null;
  if (parts[4] === accountId && name) {
    if (type === 'user') row = await ctx.store.getUser(accountId, name);
    else if (type === 'group') row = await ctx.store.getGroup(accountId, name);
    else row = await policyStore(ctx).getRole(accountId, name);
    if (row && row.path !== path) row = null;
  }
  if (!row) throw noSuchEntity(`The ${type} with name ${name} cannot be found.`);
  return { type, row, arn: arns[type](accountId, row.path, row.name) };
}

const BOOL_RE = /^(true|false)$/i;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** A simulation's request context: condition keys as given, each a string or a list. */
type SimulationContext = Record<string, string | string[]>;

/** ContextEntries → the evaluator's context: values checked against their ContextKeyType; lists stay arrays. */
export function contextFromEntries(entries: readonly ContextEntry[] = []): SimulationContext {
  const out: SimulationContext = {};
  entries.forEach((e, n) => {
    const where = `ContextEntries.member.${n + 1}`;
    const name = e.ContextKeyName;
    if (!name) throw invalidInput(`${where}: ContextKeyName is required.`);
    const type = e.ContextKeyType ?? 'string';
    const isList = type.endsWith('List');
    const base = isList ? type.slice(0, -4) : type;
    const values = e.ContextKeyValues ?? [];
    if (!isList && values.length !== 1) {
      throw invalidInput(`${where}: context key ${name} of type ${type} takes exactly one value (use ${type}List for several).`);
    }
    const checked = values.map((v) => {
      const ok = base === 'string' ? true
        : base === 'numeric' ? !Number.isNaN(parseNumber(v))
          : base === 'boolean' ? BOOL_RE.test(v)
            : base === 'date' ? !Number.isNaN(parseDate(v))
              : base === 'ip' ? parseCidr(v) !== null
                : base === 'binary' ? BASE64_RE.test(v) && v.length % 4 === 0
                  : false;
      if (!ok) throw invalidInput(`${where}: value '${v}' is not a valid ${base} for context key ${name}.`);
      return base === 'boolean' ? v.toLowerCase() : v;
    });
    out[name] = isList ? checked : checked[0]!; // a single-valued key has exactly one value (checked above)
  });
  return out;
}

function checkActions(actions: readonly string[]): void {
  for (const a of actions) {
    if (!/^[^:\s]+:[^:\s]+$/.test(a)) throw invalidInput(`Invalid action name ${a}: an action is a service prefix and an operation name, such as iam:CreateUser.`);
  }
}

function checkResources(resources: readonly string[]): void {
  for (const r of resources) {
    if (r !== '*' && !splitArn(r)) throw invalidInput(`Invalid ARN in ResourceArns: ${r}. Specify a resource ARN or *.`);
  }
}

/** The global keys AWS derives from the simulated caller: aws:username, aws:userid, aws:PrincipalArn, … and its tags. */
function principalKeys(ctx: OperationContext, entity: SimulatedEntity | null): SimulationContext {
  if (!entity) return {};
  const c: SimulationContext = { 'aws:PrincipalAccount': ctx.account.accountId, 'aws:PrincipalArn': entity.arn };
  if (entity.type === 'user') {
    c['aws:username'] = entity.row.name;
    if (entity.row.userId !== undefined) c['aws:userid'] = entity.row.userId;
    c['aws:PrincipalType'] = 'User';
  } else if (entity.type === 'role') {
    c['aws:PrincipalType'] = 'AssumedRole';
  }
  if (entity.type !== 'group' && entity.row.tags) {
    for (const t of entity.row.tags) c[`aws:PrincipalTag/${t.Key}`] = t.Value;
  }
  return c;
}

// ---------------------------------------------------------------------------------------------------------------
// Running a simulation

/** One policy of a simulation: AWS's SourcePolicyId (name), its evaluator type, its text and its parse. */
interface Source {
  readonly name: string;
  readonly type: SourcePolicyType;
  readonly document: string;
  readonly parsed: ParsedPolicy;
  readonly boundary?: boolean;
}

/** A compiled policy list whose statement references map back to AWS's SourcePolicyId, SourcePolicyType and positions. */
function compileSources(sources: readonly Source[], offset: number): CompiledPolicy[] {
  return sources.map((s, n) => compilePolicy(s.parsed, { id: String(offset + n), type: s.type }));
}

/** Steps one simulation page may spend before it ends early (one evaluation may spend as much again). */
export const SIMULATION_WORK_LIMIT = DEFAULT_WORK_LIMIT;

/**
 * AWS's SourcePolicyType values as IAM sends them (not the model's user/group/role/aws-managed/… enum, which the
 * SDKs do not check): "IAM Policy" for every identity-based policy, inline, managed or from PolicyInputList
 * (LocalStack's AWS-validated test_simulate_principle_policy snapshots), "Resource Policy" and "Permissions
 * Boundary Policy" (the labels AWS also uses as EvalDecisionDetails keys).
 */
function sourcePolicyType(src: Source): PolicySourceType {
  // AWS's labels are outside the model's enum (see above): the one place they are passed off as its type.
  return (src.type === 'resource' ? 'Resource Policy' : src.boundary ? 'Permissions Boundary Policy' : 'IAM Policy') as PolicySourceType;
}

function statementShape(all: readonly Source[], positions: Map<number, StatementSpan[]>, ref: StatementRef): Statement {
  const n = Number(ref.sourcePolicyId);
  const src = all[n]!; // every compiled policy's id is its index in `all`
  let spans = positions.get(n);
  if (!spans) { spans = statementPositions(src.document); positions.set(n, spans); }
  const pos = spans[ref.statementIndex];
  const out: Statement = { SourcePolicyId: src.name, SourcePolicyType: sourcePolicyType(src) };
  if (pos?.start && pos?.end) { out.StartPosition = pos.start; out.EndPosition = pos.end; }
  return out;
}

/** What the Simulate* operations share of their input. */
type SimulateInput = Pick<SimulatePrincipalPolicyRequest, 'ActionNames' | 'ResourceArns' | 'ResourcePolicy' | 'ContextEntries' | 'MaxItems' | 'Marker'>;

function simulate(ctx: OperationContext, input: SimulateInput,
  { identity, boundary, caller }: { identity: readonly Source[]; boundary: readonly Source[] | undefined; caller: SimulatedEntity | null }): SimulatePolicyResponse {
  checkActions(input.ActionNames);
  const resourcesGiven = input.ResourceArns !== undefined && input.ResourceArns.length > 0;
  const resources = resourcesGiven ? input.ResourceArns! : ['*']; // given: checked just above
  checkResources(resources);

  let resourcePolicy: Source | null = null;
  if (input.ResourcePolicy !== undefined) {
    if (!caller) throw invalidInput('CallerArn is required with ResourcePolicy when PolicySourceArn does not name an IAM user.');
    resourcePolicy = { name: 'ResourcePolicy', type: 'resource', document: input.ResourcePolicy, parsed: parseInputDocument(input.ResourcePolicy, 'ResourcePolicy', 'resource') };
  }
  const all: Source[] = [...identity, ...(boundary ?? []).map((s) => ({ ...s, boundary: true })), ...(resourcePolicy ? [resourcePolicy] : [])];
  // Statement positions of each source, worked out on first use.
  const positions = new Map<number, StatementSpan[]>();
  const identityCompiled = compileSources(identity, 0);
  const boundaryCompiled = boundary ? compileSources(boundary, identity.length) : undefined;
  const resourceCompiled = resourcePolicy ? compileSources([resourcePolicy], identity.length + (boundary?.length ?? 0))[0] : undefined;

  // The caller's own keys first; what the request supplies wins.
  const context = { ...principalKeys(ctx, caller), ...contextFromEntries(input.ContextEntries) };
  const policySet = { identity: identityCompiled, boundary: boundaryCompiled, resource: resourceCompiled };

  // Results are (action, resource) pairs in request order, evaluated lazily for the page asked for. A page also
  // ends early once its evaluations have spent SIMULATION_WORK_LIMIT steps (IAM's pages may hold fewer than
  // MaxItems while IsTruncated is true), so one request costs a bounded amount of work whatever the number of
  // actions and resources; the rest follows with the Marker.
  const total = input.ActionNames.length * resources.length;
  const page: { after: string | null; max: number } = pageRequest(input);
  let start = 0;
  if (page.after !== null) {
    start = /^\d+$/.test(page.after) ? Number(page.after) : -1;
    if (start < 0 || start >= total) throw invalidInput('Invalid Marker.');
    start += 1;
  }
  const results: EvaluationResult[] = [];
  let spent = 0;
  let n = start;
  for (; n < total && results.length < page.max; n++) {
    if (results.length > 0 && spent >= SIMULATION_WORK_LIMIT) break;
    // Both indexes are in range: n < total = actions × resources.
    const action = input.ActionNames[Math.floor(n / resources.length)]!;
    const resource = resources[n % resources.length]!;
    const r = evaluate({ action, resource, context, principal: caller?.arn }, policySet);
    spent += lastWorkUsed();
    const matched = r.matchedStatements.map((ref) => statementShape(all, positions, ref));
    const out: EvaluationResult = {
      EvalActionName: action,
      EvalResourceName: resource,
      EvalDecision: r.decision,
      MatchedStatements: matched,
      MissingContextValues: r.missingContextValues,
    };
    // AWS: present but empty for a same-account simulation naming a resource; absent for '*', and absent from
    // ResourceSpecificResults (LocalStack's AWS-validated test_simulate_principle_policy snapshots).
    if (resource !== '*') out.EvalDecisionDetails = {};
    if (boundaryCompiled) out.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: r.allowedByPermissionsBoundary === true };
    if (resourcesGiven) {
      out.ResourceSpecificResults = [{
        EvalResourceName: resource,
        EvalResourceDecision: r.decision,
        MatchedStatements: matched,
        MissingContextValues: r.missingContextValues,
        ...(out.PermissionsBoundaryDecisionDetail ? { PermissionsBoundaryDecisionDetail: out.PermissionsBoundaryDecisionDetail } : {}),
      }];
    }
    results.push(out);
  }
  const truncated = n < total;
  return { EvaluationResults: results, IsTruncated: truncated, ...(truncated ? { Marker: encodeMarker(String(n - 1)) } : {}) };
}

const inputSources = (docs: readonly string[] = [], listName: string, type: SourcePolicyType = 'none'): Source[] => docs.map((d, n) => {
  const name = `${listName}.${n + 1}`;
  return { name, type, document: d, parsed: parseInputDocument(d, name) };
});

/** The entity's own policies (a user's include its groups'), parsed, plus its boundary when it has one. */
async function entitySources(ctx: OperationContext, entity: SimulatedEntity): Promise<{ identity: Source[]; boundary: Source[] | undefined }> {
  const kind = entity.type;
  const row = entity.row;
  // The row of its type carries its id.
  const id = (kind === 'user' ? row.userId : kind === 'group' ? row.groupId : row.roleId)!;
  const docs = await principalPolicyDocuments(ctx.db, { kind, id, boundaryArn: row.permissionsBoundary ?? null });
  const identity = docs.identity.map((d): Source => ({ name: d.name, type: d.type, document: d.document, parsed: parseStoredDocument(d.document, d.name) }));
  let boundary: Source[] | undefined;
  if (docs.boundary) boundary = [{ name: docs.boundary.name, type: docs.boundary.type, document: docs.boundary.document, parsed: parseStoredDocument(docs.boundary.document, docs.boundary.name) }];
  else if (docs.boundary === null) boundary = []; // the boundary policy was deleted: it allows nothing
  return { identity, boundary };
}

export const handlers = {
  async SimulatePrincipalPolicy(ctx, input) {
    const entity = await resolveEntity(ctx, input.PolicySourceArn);
    const own = await entitySources(ctx, entity);
    const extra = inputSources(input.PolicyInputList, 'PolicyInputList');
    // A boundary supplied with the request replaces the entity's own (AWS: "overrides the existing permissions boundary").
    const boundary = input.PermissionsBoundaryPolicyInputList?.length
      ? inputSources(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList')
      : own.boundary;
    // The simulated caller: CallerArn (an IAM user), else the source when it is a user or role.
    let caller = entity.type === 'group' ? null : entity;
    if (input.CallerArn !== undefined) caller = await resolveEntity(ctx, input.CallerArn, { usersOnly: true, param: 'CallerArn' });
    if (input.ResourcePolicy !== undefined && caller?.type !== 'user') caller = null;
    return simulate(ctx, input, { identity: [...own.identity, ...extra], boundary, caller });
  },

  async SimulateCustomPolicy(ctx, input) {
    const identity = inputSources(input.PolicyInputList, 'PolicyInputList');
    const boundary = input.PermissionsBoundaryPolicyInputList?.length
      ? inputSources(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList')
      : undefined;
    const caller = input.CallerArn !== undefined ? await resolveEntity(ctx, input.CallerArn, { usersOnly: true, param: 'CallerArn' }) : null;
    return simulate(ctx, input, { identity, boundary, caller });
  },

  async GetContextKeysForPrincipalPolicy(ctx, input) {
    const entity = await resolveEntity(ctx, input.PolicySourceArn);
    const own = await entitySources(ctx, entity);
    const extra = inputSources(input.PolicyInputList, 'PolicyInputList');
    return { ContextKeyNames: getContextKeys([...own.identity, ...extra].map((s) => s.parsed)) };
  },

  async GetContextKeysForCustomPolicy(ctx, input) {
    return { ContextKeyNames: getContextKeys(inputSources(input.PolicyInputList, 'PolicyInputList').map((s) => s.parsed)) };
  },
} satisfies Partial<{ [K in keyof IamOperations]: IamHandler<K, OperationContext> }>;
