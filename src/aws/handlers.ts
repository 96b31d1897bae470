// How the wire hands an operation to the domain: each handler is typed from the service model's operation map,
// so a handler that returns a wrong shape, or a served operation without a handler, does not compile.
import type { Operations as IamOperations } from './models/iam.generated.js';
import type { Operations as StsOperations } from './models/sts.generated.js';

/** What the wire knows about a request besides its input (its signature, source and id). */
export interface RequestInfo {
  /** cloudtrail: LookupEvents (src/aws/cloudtrail-endpoint.ts); gatehouse: the console's own actions (src/authz/gatehouse-actions.ts). */
  readonly service: 'iam' | 'sts' | 'cloudtrail' | 'gatehouse';
  readonly action: string;
  readonly requestId: string;
  readonly sourceIp: string | undefined;
  readonly secure: boolean;
  /** The parsed SigV4 authorization (access key id, scope, session token). */
  readonly auth: { readonly accessKeyId: string; readonly region: string; readonly service: string; readonly sessionToken?: string | undefined };
}

interface OperationShape { input: unknown; output: unknown }

export type Handler<Op extends OperationShape, Ctx> = (ctx: Ctx, input: Op['input'], request: RequestInfo) => Promise<Op['output']>;

/** One handler per named operation. */
export type HandlerMap<Ops extends { [K in keyof Ops]: OperationShape }, Names extends keyof Ops, Ctx> = {
  readonly [K in Names]: Handler<Ops[K], Ctx>;
};

export type IamHandler<K extends keyof IamOperations, Ctx> = Handler<IamOperations[K], Ctx>;
export type StsHandler<K extends keyof StsOperations, Ctx> = Handler<StsOperations[K], Ctx>;
export type { IamOperations, StsOperations };

/** Any operation's input, as the generated types describe it. */
export type OperationInput = IamOperations[keyof IamOperations]['input'] | StsOperations[keyof StsOperations]['input'];

/**
 * A handler as the endpoint looks it up: by name, its operation known only at run time. Declared through a
 * method so that its input parameter is checked bivariantly: every typed handler fits (it takes one member of
 * OperationInput), and the endpoint gives it only the input parsed from its own operation's model.
 */
export type WireHandler<Ctx> = {
  handle(ctx: Ctx, input: OperationInput, request: RequestInfo): Promise<object>;
}['handle'];

/** One service's handlers by operation name (those not served are absent). */
export interface ServiceHandlers<Ctx> { readonly [operation: string]: WireHandler<Ctx> | undefined }
