import type { EventPutter } from '#local/ports';
import { DEFAULT_EVENT_BUS, eventArchiveNameOf, eventBusArn, eventBusNameOf, eventReplayArn } from '#local/arns';
import { EventArchive, type ArchiveDescription } from './archives.ts';
import { compileModel, type CompiledModel, type CompiledRule } from './compile.ts';
import { DeliveryScheduler, type DeliveryFaultSource, type DeliveryLogger } from './delivery.ts';
import { assertRequestWithinLimits, envelopeForEntry, isEntryError, type EntryError, type PutEventsEntry } from './entries.ts';
import type { EventEnvelope } from './envelope.ts';
import {
  EventBridgeApiError,
  illegalStatus,
  invalidEventPattern,
  resourceAlreadyExists,
  resourceNotFound,
  validationError,
} from './errors.ts';
import type { EventBridgeModel, EventBridgeTarget } from './model.ts';
import { compileEventPattern } from './pattern/event-pattern.ts';
import { EventPatternError } from './pattern/errors.ts';
import { isJsonObject } from './pattern/json.ts';
import { OwedDeliveries } from './owed-deliveries.ts';
import { ReplayManager, type ReplayDescription, type ReplayDestination, type ReplayState } from './replays.ts';
import { createDirectoryStorage, createMemoryStorage } from './storage.ts';
import type { TargetPorts } from './targets.ts';

export interface LocalEventBridgeOptions {
  /** Buses, rules and archives: the template model's (LocalApp). */
  readonly model: EventBridgeModel;
  /** How targets and dead-letter queues are reached. */
  readonly ports?: TargetPorts;
  /** Folder for archives and replays; absent keeps everything in memory (--in-memory). */
  readonly dataDir?: string;
  readonly now?: () => number;
  /** Delay before retry n of a failed delivery. @default exponential from 1 s, capped at 60 s */
  readonly retryDelayMs?: (retry: number) => number;
  /** Deliveries one target receives at once. @default 10 */
  readonly maxConcurrencyPerTarget?: number;
  /** Events a replay dispatches per step of progress. @default 100 */
  readonly replayBatchSize?: number;
  /** Replayed events whose deliveries may be unsettled at once (@default 1,000). */
  readonly replayMaxUnsettledEvents?: number;
  readonly logger?: DeliveryLogger;
  /** Duplicate or late deliveries, e.g. from the local chaos settings. @default none */
  readonly deliveryFaults?: DeliveryFaultSource;
}

const defaultRetryDelayMs = (retry: number) => Math.min(1000 * 2 ** (retry - 1), 60_000);
const DEFAULT_MAX_CONCURRENCY_PER_TARGET = 10;
const DEFAULT_REPLAY_BATCH_SIZE = 100;
/** Ten batches: a few events that a consumer keeps failing leave the rest of the replay going. */
const DEFAULT_REPLAY_MAX_UNSETTLED_EVENTS = 1_000;
const consoleLogger: DeliveryLogger = { warn: (message) => console.warn(`[eventbridge] ${message}`) };

export interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: ReadonlyArray<{ readonly EventId: string } | EntryError>;
}

export interface RuleDescription {
  readonly Name: string;
  readonly Arn: string;
  readonly EventPattern: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly EventBusName: string;
}

/** A target as ListTargetsByRule answers it. */
export interface TargetDescription {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap: Readonly<Record<string, string>>; readonly InputTemplate: string };
  readonly RetryPolicy: { readonly MaximumRetryAttempts: number; readonly MaximumEventAgeInSeconds: number };
  readonly DeadLetterConfig?: { readonly Arn: string };
}

const targetDescription = (target: EventBridgeTarget): TargetDescription => ({
  Id: target.id,
  Arn: target.arn,
  ...(target.input !== undefined && { Input: target.input }),
  ...(target.inputPath !== undefined && { InputPath: target.inputPath }),
  ...(target.inputTransformer && {
    InputTransformer: { InputPathsMap: { ...target.inputTransformer.inputPathsMap }, InputTemplate: target.inputTransformer.inputTemplate },
  }),
  RetryPolicy: { MaximumRetryAttempts: target.retryPolicy.maximumRetryAttempts, MaximumEventAgeInSeconds: target.retryPolicy.maximumEventAgeSeconds },
  ...(target.deadLetterQueueArn && { DeadLetterConfig: { Arn: target.deadLetterQueueArn } }),
});

export interface StartReplayRequest {
  readonly ReplayName: string;
  readonly Description?: string;
  /** The archive's ARN. */
  readonly EventSourceArn: string;
  readonly EventStartTime: Date;
  readonly EventEndTime: Date;
  readonly Destination: ReplayDestination;
}

const startsWith = (prefix: string | undefined) => (name: string) => prefix === undefined || name.startsWith(prefix);

/**
 * The local EventBridge: the template's buses and rules, asynchronous
 * delivery to Lambda, SQS and Step Functions targets (retries, DLQs, bounded
 * concurrency per target), archives and replays. Its methods mirror the
 * EventBridge API (server.ts exposes them over HTTP) and it is the
 * EventPutter for in-process callers.
 */
export class LocalEventBridge implements EventPutter {
  private readonly archives = new Map<string, EventArchive>();
  private replays!: ReplayManager;
  /** Deliveries of accepted events, each until it is settled in the owed-deliveries log. */
  private readonly owedRunning = new Set<Promise<void>>();

  private constructor(
    private readonly model: CompiledModel,
    private readonly scheduler: DeliveryScheduler,
    private readonly now: () => number,
    private readonly owedDeliveries: OwedDeliveries,
    private readonly logger: DeliveryLogger,
  ) {}

  /** Validates the model (an EventBridgeConfigError lists every problem) and opens archives and replays. */
  static async create(options: LocalEventBridgeOptions): Promise<LocalEventBridge> {
    const ports = options.ports ?? {};
    const now = options.now ?? Date.now;
    const logger = options.logger ?? consoleLogger;
    const model = compileModel(options.model, {
      ports,
      maxConcurrencyPerTarget: options.maxConcurrencyPerTarget ?? DEFAULT_MAX_CONCURRENCY_PER_TARGET,
    });
    const scheduler = new DeliveryScheduler({
      now,
      retryDelayMs: options.retryDelayMs ?? defaultRetryDelayMs,
      logger,
      ...(ports.queues && { deadLetters: ports.queues }),
      ...(options.deliveryFaults && { faults: options.deliveryFaults }),
    });
    const storage = options.dataDir === undefined ? createMemoryStorage() : createDirectoryStorage(options.dataDir);
    const owed = await OwedDeliveries.open(options.dataDir === undefined ? undefined : storage);
    const bridge = new LocalEventBridge(model, scheduler, now, owed.journal, logger);
    for (const archive of model.archives) {
      bridge.archives.set(
        archive.definition.name,
        await EventArchive.open(archive.definition, archive.sourceBusName, archive.pattern, storage, now()),
      );
    }
    bridge.replays = await ReplayManager.open(
      storage,
      {
        archiveNamed: (name) => bridge.archives.get(name),
        redeliver: async (event, destination, ingestedAt) => {
          await bridge.dispatch(event, eventBusNameOf(destination.Arn), ingestedAt, destination.FilterArns && new Set(destination.FilterArns));
        },
      },
      {
        now,
        batchSize: options.replayBatchSize ?? DEFAULT_REPLAY_BATCH_SIZE,
        maxUnsettledEvents: options.replayMaxUnsettledEvents ?? DEFAULT_REPLAY_MAX_UNSETTLED_EVENTS,
        logger,
      },
    );
    // What a killed runtime accepted but had not delivered yet is delivered now, as AWS would have.
    for (const delivery of owed.owed) bridge.deliverOwed(delivery.event, delivery.busName, delivery.ingestedAt);
    return bridge;
  }

  /** The EventPutter port: what Step Functions `events:putEvents` tasks call. */
  async putEvents(entries: ReadonlyArray<PutEventsEntry>): Promise<{ FailedEntryCount: number }> {
    const { FailedEntryCount } = await this.putEventEntries(entries);
    return { FailedEntryCount };
  }

  /**
   * PutEvents: validates each entry, archives the accepted events and logs
   * their deliveries as owed (both on disk before this returns), then starts
   * the deliveries without waiting.
   */
  async putEventEntries(entries: ReadonlyArray<PutEventsEntry>): Promise<PutEventsResult> {
    assertRequestWithinLimits(entries);
    const now = this.now();
    const results = entries.map((entry) => {
      const busName = eventBusNameOf(entry.EventBusName ?? DEFAULT_EVENT_BUS);
      const envelope = envelopeForEntry(entry, now);
      if (isEntryError(envelope)) return envelope;
      if (!this.model.buses.has(busName)) {
        return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
      }
      return { busName, envelope };
    });
    const accepted = results.filter((result) => 'envelope' in result);
    try {
      await Promise.all([
        ...[...this.archives.values()].map((archive) =>
          archive.add(
            accepted.filter(({ busName, envelope }) => busName === archive.sourceBusName && archive.accepts(envelope)).map(({ envelope }) => envelope),
            now,
          ),
        ),
        this.owedDeliveries.owe(accepted.map(({ busName, envelope }) => ({ busName, ingestedAt: now, event: envelope }))),
      ]);
    } catch (error) {
      throw new EventBridgeApiError('InternalException', `Could not store the events: ${String(error)}`, 500);
    }
    for (const { busName, envelope } of accepted) this.deliverOwed(envelope, busName, now);
    return {
      FailedEntryCount: results.length - accepted.length,
      Entries: results.map((result) => ('envelope' in result ? { EventId: result.envelope.id } : result)),
    };
  }

  listEventBuses(namePrefix?: string) {
    return [...this.model.buses].filter(startsWith(namePrefix)).map((name) => ({ Name: name, Arn: eventBusArn(name) }));
  }

  describeEventBus(nameOrArn = DEFAULT_EVENT_BUS) {
    const name = this.requireBus(nameOrArn);
    return { Name: name, Arn: eventBusArn(name) };
  }

  listRules(options: { NamePrefix?: string; EventBusName?: string }): RuleDescription[] {
    const busName = this.requireBus(options.EventBusName ?? DEFAULT_EVENT_BUS);
    return this.model.rules
      .filter((rule) => rule.busName === busName && startsWith(options.NamePrefix)(rule.definition.name))
      .map((rule) => this.ruleDescription(rule));
  }

  describeRule(name: string, eventBusName = DEFAULT_EVENT_BUS): RuleDescription {
    return this.ruleDescription(this.requireRule(name, eventBusName));
  }

  listTargetsByRule(ruleName: string, eventBusName = DEFAULT_EVENT_BUS): TargetDescription[] {
    return this.requireRule(ruleName, eventBusName).definition.targets.map(targetDescription);
  }

  /** TestEventPattern: whether a pattern matches an event, both given as JSON text. */
  testEventPattern(eventPattern: string, event: string): boolean {
    let parsedEvent: unknown;
    try {
      parsedEvent = JSON.parse(event);
    } catch {
      throw validationError('Parameter Event is not valid.');
    }
    if (!isJsonObject(parsedEvent)) throw validationError('Parameter Event is not valid.');
    try {
      return compileEventPattern(eventPattern).matches(parsedEvent);
    } catch (error) {
      if (error instanceof EventPatternError) throw invalidEventPattern(error.message);
      throw error;
    }
  }

  listArchives(options: { NamePrefix?: string; EventSourceArn?: string; State?: string }) {
    const now = this.now();
    return [...this.archives.values()]
      .map((archive) => archive.describe(now))
      .filter((archive) => startsWith(options.NamePrefix)(archive.ArchiveName))
      .filter((archive) => options.EventSourceArn === undefined || archive.EventSourceArn === eventBusArn(eventBusNameOf(options.EventSourceArn)))
      .filter((archive) => options.State === undefined || archive.State === options.State)
      .map(({ ArchiveName, EventSourceArn, State, RetentionDays, SizeBytes, EventCount, CreationTime }) => ({
        ArchiveName,
        EventSourceArn,
        State,
        RetentionDays,
        SizeBytes,
        EventCount,
        CreationTime,
      }));
  }

  describeArchive(name: string): ArchiveDescription {
    return this.requireArchive(name).describe(this.now());
  }

  /** Every event an archive holds, oldest first: what the invariant checks and the console read locally. */
  archivedEvents(archiveName: string): EventEnvelope[] {
    return this.requireArchive(archiveName).eventsBetween(0, Number.MAX_SAFE_INTEGER, this.now());
  }

  async startReplay(request: StartReplayRequest) {
    if (this.replays.has(request.ReplayName)) throw resourceAlreadyExists(`Replay ${request.ReplayName} already exists.`);
    const archive = this.requireArchive(eventArchiveNameOf(request.EventSourceArn) ?? request.EventSourceArn);
    const start = request.EventStartTime.getTime();
    const end = request.EventEndTime.getTime();
    if (!(start < end)) throw validationError('Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.');
    const destinationBus = eventBusNameOf(request.Destination.Arn);
    if (destinationBus !== archive.sourceBusName) {
      throw validationError('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
    }
    for (const filterArn of request.Destination.FilterArns ?? []) {
      if (!this.model.rules.some((rule) => rule.arn === filterArn && rule.busName === destinationBus)) {
        throw resourceNotFound(`Rule ${filterArn} does not exist on EventBus ${destinationBus}.`);
      }
    }
    const replay = await this.replays.start({
      ReplayName: request.ReplayName,
      ReplayArn: eventReplayArn(request.ReplayName),
      ...(request.Description !== undefined && { Description: request.Description }),
      EventSourceArn: archive.arn,
      Destination: { Arn: eventBusArn(destinationBus), ...(request.Destination.FilterArns && { FilterArns: request.Destination.FilterArns }) },
      EventStartTime: start,
      EventEndTime: end,
    });
    return { ReplayArn: replay.ReplayArn, State: replay.State, ReplayStartTime: replay.ReplayStartTime };
  }

  describeReplay(name: string): ReplayDescription {
    const replay = this.replays.describe(name);
    if (!replay) throw resourceNotFound(`Replay ${name} does not exist.`);
    return replay;
  }

  listReplays(options: { NamePrefix?: string; State?: ReplayState; EventSourceArn?: string }) {
    return this.replays
      .list()
      .filter((replay) => startsWith(options.NamePrefix)(replay.ReplayName))
      .filter((replay) => options.State === undefined || replay.State === options.State)
      .filter((replay) => options.EventSourceArn === undefined || replay.EventSourceArn === options.EventSourceArn)
      .map(({ ReplayArn: _arn, Description: _description, Destination: _destination, ...summary }) => summary);
  }

  async cancelReplay(name: string) {
    const replay = this.describeReplay(name);
    const state = await this.replays.cancel(name);
    if (!state) throw illegalStatus(`Replay ${name} is ${replay.State} and can no longer be cancelled.`);
    return { ReplayArn: replay.ReplayArn, State: state };
  }

  /** Resolves when no delivery or replay is running: for tests and orderly shutdown. */
  async whenIdle(): Promise<void> {
    await this.replays.whenIdle();
    await this.scheduler.whenIdle();
    while (this.owedRunning.size > 0) await Promise.allSettled([...this.owedRunning]);
  }

  /** Stops replays between batches (they resume on the next start) and abandons pending retries (still owed on the next start). */
  async stop(): Promise<void> {
    await this.replays.stop();
    await this.scheduler.stop();
    while (this.owedRunning.size > 0) await Promise.allSettled([...this.owedRunning]);
  }

  /** Delivers an accepted event, then marks it settled, unless a stop abandoned one of its deliveries: then it stays owed. */
  private deliverOwed(event: EventEnvelope, busName: string, ingestedAt: number): void {
    const running = this.dispatch(event, busName, ingestedAt)
      .then((settled) => (settled ? this.owedDeliveries.settle(event.id) : undefined))
      .catch((error: unknown) => this.logger.warn(`could not mark event ${event.id} delivered; it will be delivered again on the next start: ${String(error)}`))
      .finally(() => this.owedRunning.delete(running));
    this.owedRunning.add(running);
  }

  /** Starts the deliveries of one event to the matching enabled rules of a bus; resolves when they all end, with whether all settled. */
  private async dispatch(event: EventEnvelope, busName: string, ingestedAt: number, onlyRules?: ReadonlySet<string>): Promise<boolean> {
    const deliveries = this.model.rules
      .filter((rule) => rule.busName === busName && rule.definition.enabled)
      .filter((rule) => !onlyRules || onlyRules.has(rule.arn))
      .filter((rule) => rule.pattern.matches(event))
      .flatMap((rule) => rule.targets.map((target) => this.scheduler.deliver(target, event, ingestedAt)));
    const ends = await Promise.all(deliveries);
    return ends.every((end) => end === 'settled');
  }

  private ruleDescription(rule: CompiledRule): RuleDescription {
    return {
      Name: rule.definition.name,
      Arn: rule.arn,
      EventPattern: JSON.stringify(rule.pattern.source),
      State: rule.definition.enabled ? 'ENABLED' : 'DISABLED',
      EventBusName: rule.busName,
    };
  }

  private requireBus(nameOrArn: string): string {
    const name = eventBusNameOf(nameOrArn);
    if (!this.model.buses.has(name)) throw resourceNotFound(`Event bus ${name} does not exist.`);
    return name;
  }

  private requireRule(name: string, eventBusName: string): CompiledRule {
    const busName = this.requireBus(eventBusName);
    const rule = this.model.rules.find((candidate) => candidate.busName === busName && candidate.definition.name === name);
    if (!rule) throw resourceNotFound(`Rule ${name} does not exist on EventBus ${busName}.`);
    return rule;
  }

  private requireArchive(name: string): EventArchive {
    const archive = this.archives.get(name);
    if (!archive) throw resourceNotFound(`Archive ${name} does not exist.`);
    return archive;
  }
}
