// Wires the event history (src/events) into the server: the recorder over the event store, the hooks the API
// endpoints call once a call is answered, the console's sign-in events, and LookupEvents. Every hook only queues
// (the record is built and written later, off the request's path) and swallows its own failures: recording never
// slows or fails a request.
import { cloudtrailModel, services } from '../aws/model.js';
import { isReadOnlyAction, requestParametersOf, responseElementsOf } from '../aws/event-elements.js';
import { arn } from '../iam/arn.js';
import { EventStore } from '../store/event-store.js';
import { EventWriterThread } from '../store/event-writer.js';
import { openEventDatabase } from '../store/index.js';
import { EventRecorder } from '../events/recorder.js';
import { apiCallEvent } from '../events/records.js';
import { lookupEvents } from '../events/lookup.js';
import type { CompletedCall, WireRequest } from '../aws/endpoint.js';
import type { CloudTrailCall } from '../aws/cloudtrail-endpoint.js';
import type { ModelShapes, RecordObject } from '../aws/event-elements.js';
import type { LookupEventsRequest, LookupEventsResponse } from '../aws/models/cloudtrail.generated.js';
import type { OperationContext, ServerConfig } from '../iam/context.js';
import type { IamStore } from '../store/iam-store.js';
import type { Db } from '../store/db.js';

export interface EventHistory {
  readonly recorder: EventRecorder;
  /** The Query endpoint's hook (IAM, STS). */
  onApiCall(call: CompletedCall, req: WireRequest): void;
  /** The JSON endpoint's hook (CloudTrail). */
  onCloudTrailCall(call: CloudTrailCall, req: WireRequest): void;
  /** A console action on the signed-in principal's behalf: an IAM operation, LookupEvents, or a Gatehouse action. */
  onConsoleCall(call: ConsoleCallRecord, origin: { sourceIp: string | undefined; userAgent: string | undefined }): void;
  lookup(ctx: OperationContext, input: LookupEventsRequest): Promise<LookupEventsResponse>;
  close(): Promise<void>;
}

/** What the console ran: the service is IAM, CloudTrail (the Event history page) or Gatehouse's own (gatehouse:…). */
export type ConsoleCallRecord = Omit<CompletedCall, 'auth' | 'service'> & { readonly service: 'iam' | 'cloudtrail' | 'gatehouse'; readonly region: string };

/**
 * A Gatehouse action's requestParameters, in camelCase as for IAM: the user it acted on (GatehouseInput), or what a
 * principal's change to its own protections says (a count, how it was proven: never a code or a token).
 */
const gatehouseParameters = (input: object): RecordObject | null => {
  const out: RecordObject = {};
  for (const [k, v] of Object.entries(input)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[`${k.charAt(0).toLowerCase()}${k.slice(1)}`] = v;
  }
  return Object.keys(out).length ? out : null;
};

const userAgentOf = (req: WireRequest): string | undefined => {
  const ua = req.headers['user-agent'];
  return Array.isArray(ua) ? ua.join(' ') : ua;
};

export async function createEventHistory(deps: { db: Db; store: IamStore; config: ServerConfig; logger: { warn(obj: object, msg: string): void } }): Promise<EventHistory> {
  // SQLite: the events have a database file of their own; PostgreSQL: the main database. Either way a worker thread
  // writes them (this thread only reads them, for LookupEvents).
  const events = await openEventDatabase({ dataDir: deps.config.dataDir, databaseUrl: deps.config.databaseUrl }, deps.db);
  const eventStore = new EventStore(events.db);
  const writer = events.file !== undefined ? new EventWriterThread({ file: events.file })
    : deps.config.databaseUrl ? new EventWriterThread({ databaseUrl: deps.config.databaseUrl }) : eventStore;
  const recorder = new EventRecorder({
    store: writer,
    logger: deps.logger,
    eventsFile: deps.config.eventsFile,
    retentionDays: deps.config.eventRetentionDays,
    async userById(userId) {
      const u = await deps.store.getUserById(userId);
      return u ? { name: u.name, arn: arn.user(u.accountId, u.path, u.name) } : undefined;
    },
  });
  void recorder.purge();

  function record(service: ModelShapes | null, serviceName: 'iam' | 'sts' | 'cloudtrail' | 'gatehouse', call: Omit<CompletedCall, 'auth' | 'service'> & { region: string }, origin: { sourceIp: string | undefined; userAgent: string | undefined }, fromConsole: boolean): void {
    const time = new Date();
    try {
      recorder.record(async () => apiCallEvent({
        service: serviceName,
        action: call.action,
        region: call.region,
        principal: call.principal,
        requestId: call.requestId,
        time,
        readOnly: isReadOnlyAction(call.action) || serviceName === 'cloudtrail',
        // Gatehouse's actions have no service model: the user they act on is their whole input, and they return nothing to record.
        requestParameters: service ? requestParametersOf(service, call.action, call.input) : gatehouseParameters(call.input),
        responseElements: !service || serviceName === 'cloudtrail' ? null : responseElementsOf(service, serviceName, call.action, call.output),
        error: call.error,
        sourceIp: origin.sourceIp,
        userAgent: origin.userAgent,
        fromConsole,
      }));
    } catch (e) {
      deps.logger.warn({ err: (e as { message?: unknown }).message }, 'could not queue an event'); // anything thrown: its message
    }
  }

  return {
    recorder,
    onApiCall(call, req) {
      const fromConsole = call.principal.session?.source === 'ConsoleSignIn';
      record(services[call.service], call.service, { ...call, region: call.auth.region }, { sourceIp: req.sourceIp, userAgent: userAgentOf(req) }, fromConsole);
    },
    onCloudTrailCall(call, req) {
      record(cloudtrailModel, 'cloudtrail', { ...call, region: call.auth.region }, { sourceIp: req.sourceIp, userAgent: userAgentOf(req) }, false);
    },
    onConsoleCall(call, origin) {
      record(call.service === 'gatehouse' ? null : call.service === 'cloudtrail' ? cloudtrailModel : services.iam, call.service, call, origin, true);
    },
    lookup: (ctx, input) => lookupEvents(eventStore, ctx.account.accountId, input, ctx.now),
    async close() {
      await recorder.close();
      if (writer instanceof EventWriterThread) await writer.close();
      if (events.db !== deps.db) await events.db.close();
    },
  };
}
