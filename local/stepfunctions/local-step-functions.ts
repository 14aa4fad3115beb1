import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { executionArnFor, iamRoleArn, isExecutionArn, isStateMachineArn, stateMachineArnOfExecution, stateMachineNameOf } from '#local/arns';
import type { ExecutionStarter } from '#local/ports';
import type { LocalStateMachine } from '#local/template/local-app';
import { CompiledStateMachine, type EngineOptions, type ExecutionOutcome, type ExecutionRun, type RunStart } from './engine.ts';
import type { ExecutionRecord, ExecutionStatus } from './execution-record.ts';
import { executionFailed, type ErrorAndCause } from './history-events.ts';
import type { HistoryLog } from './history-log.ts';
import { parseJson, type JsonValue } from './json.ts';
import { decodeToken, encodeToken, pageSize } from './pagination.ts';
import { ServiceError } from './service-errors.ts';
import type { ExecutionStore } from './store.ts';

/**
 * Step Functions' execution API over the local engine and store: what the
 * HTTP facade (server.ts) serves and what other local components call in
 * process. Semantics follow the AWS API reference:
 * - StartExecution is idempotent by name: the same name and input while the
 *   execution is open returns it again; a different input, or a closed
 *   execution, is ExecutionAlreadyExists.
 * - RedriveExecution (FAILED, TIMED_OUT or ABORTED, within 14 days) restarts
 *   at the state where the execution stopped, with the input that state had,
 *   appending to the same history (ExecutionRedriven) and counting redrives.
 * - After a restart, executions still RUNNING resume at the last state they
 *   entered, with that state's recorded input. Steps are idempotent, so
 *   re-running the interrupted state is safe; no event marks the resume,
 *   since AWS has none. A Task attempt the stop left without an answer ends
 *   as AWS would end it, with States.Timeout once its TimeoutSeconds has run
 *   out (see engine.ts). The machine's TimeoutSeconds counts only time the
 *   runtime was up: the deadline moves by however long the runtime was down.
 */

/** A state machine of the template model (LocalStateMachine); tests may leave out its logging and tracing. */
export interface StateMachineRegistration extends Pick<LocalStateMachine, 'arn' | 'definition'>, Partial<Pick<LocalStateMachine, 'logging' | 'tracingEnabled'>> {
  /** @default a placeholder role named after the machine */
  readonly roleArn?: string;
  readonly creationDate?: number;
}

export interface LocalStepFunctionsOptions extends EngineOptions {
  readonly store: ExecutionStore;
  readonly clock?: () => number;
}

interface RegisteredStateMachine extends StateMachineRegistration {
  readonly stateMachineArn: string;
  readonly roleArn: string;
  readonly name: string;
  readonly compiled: CompiledStateMachine;
  readonly creationDate: number;
}

export interface ExecutionDescription extends ExecutionRecord {
  readonly redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  readonly redriveStatusReason?: string;
}

const REDRIVE_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
/** AWS caps execution input at 256 KiB. */
const MAX_INPUT_BYTES = 256 * 1024;
const REDRIVABLE_STATUSES: readonly ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * Execution names as AWS accepts them: 1 to 80 characters, none of them
 * whitespace, brackets, wildcards, the listed punctuation or control characters.
 */
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;
const isControlCharacter = (character: string): boolean => {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
};
const isValidExecutionName = (name: string): boolean =>
  name.length >= 1 && name.length <= 80 && !FORBIDDEN_NAME_CHARACTERS.test(name) && ![...name].some(isControlCharacter);

const listCursorSchema = z.object({ after: z.string() });
/** A history that ends with one of these ends inside a Task attempt that the runtime's stop left without an answer. */
const UNANSWERED_ATTEMPT_EVENTS: ReadonlySet<string> = new Set(['TaskStarted', 'LambdaFunctionStarted']);

export class LocalStepFunctions {
  private readonly machines = new Map<string, RegisteredStateMachine>();
  private readonly runs = new Map<string, { run: ExecutionRun; closed: Promise<ExecutionRecord> }>();
  private readonly store: ExecutionStore;
  private readonly clock: () => number;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
  }

  /** Compiles a state machine (once) so executions can start; throws StateMachineDefinitionError for what cannot run locally. */
  registerStateMachine(registration: StateMachineRegistration): { stateMachineArn: string } {
    const name = stateMachineNameOf(registration.arn);
    if (!name) throw new ServiceError('InvalidArn', `Invalid Arn: '${registration.arn}'`);
    // AWS always reports an execution role; the local runtime enforces no IAM, so a placeholder stands in when none is given.
    const source = { stateMachineArn: registration.arn, definition: registration.definition, roleArn: registration.roleArn ?? iamRoleArn(name) };
    const compiled = CompiledStateMachine.compile(source, this.options);
    this.machines.set(registration.arn, {
      ...registration,
      ...source,
      name,
      compiled,
      creationDate: registration.creationDate ?? this.clock(),
    });
    return { stateMachineArn: registration.arn };
  }

  /** Re-runs every execution the store still has as RUNNING (the runtime was stopped or killed). Returns their ARNs. */
  async resumeRunningExecutions(): Promise<string[]> {
    const running = [...this.store.list()].filter((record) => record.status === 'RUNNING' && !this.runs.has(record.executionArn));
    for (const record of running) await this.resume(record);
    return running.map((record) => record.executionArn);
  }

  /** The ExecutionStarter port, for EventBridge targets and other in-process callers. */
  get executionStarter(): ExecutionStarter {
    return {
      startExecution: async (stateMachineArn, input, name) => {
        await this.startExecution({ stateMachineArn, input, name });
      },
    };
  }

  async startExecution(request: { stateMachineArn: string; name?: string | undefined; input?: string | undefined }) {
    const machine = this.machine(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!isValidExecutionName(name)) throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
    const input = request.input ?? '{}';
    const parsedInput = this.parseInput(input);

    const executionArn = executionArnFor(machine.stateMachineArn, name);
    // No await between this check and `save`: two concurrent starts with one name must not both run.
    const existing = this.store.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: existing.startDate };
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.stateMachineArn,
      name,
      status: 'RUNNING',
      input,
      startDate: this.clock(),
      redriveCount: 0,
    };
    this.store.save(record);
    this.launch(machine, record, parsedInput, this.store.createHistory(executionArn), { kind: 'start' });
    return { executionArn, startDate: record.startDate };
  }

  describeExecution(request: { executionArn: string }): ExecutionDescription {
    const record = this.execution(request.executionArn);
    return { ...record, ...this.redriveStatus(record) };
  }

  listExecutions(request: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus | undefined;
    redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN' | undefined;
    maxResults?: number | undefined;
    nextToken?: string | undefined;
  }) {
    const machine = this.machine(request.stateMachineArn);
    const matching = [...this.store.list()]
      .filter((record) => record.stateMachineArn === machine.stateMachineArn)
      .filter((record) => !request.statusFilter || record.status === request.statusFilter)
      .filter((record) => !request.redriveFilter || (request.redriveFilter === 'REDRIVEN') === record.redriveCount > 0)
      // Most recent first, as AWS lists them; the ARN breaks ties so pages are stable.
      .sort((a, b) => b.startDate - a.startDate || (a.executionArn < b.executionArn ? 1 : -1));
    return this.page(matching, request, (record) => record.executionArn);
  }

  async getExecutionHistory(request: {
    executionArn: string;
    maxResults?: number | undefined;
    reverseOrder?: boolean | undefined;
    nextToken?: string | undefined;
  }) {
    this.execution(request.executionArn);
    const events = [...(await this.store.readHistory(request.executionArn))];
    if (request.reverseOrder) events.reverse();
    return this.page(events, request, (event) => String(event.id));
  }

  /** Stops a running execution (ExecutionAborted); for one already closed it only reports when it stopped. */
  async stopExecution(request: { executionArn: string } & ErrorAndCause): Promise<{ stopDate: number }> {
    const record = this.execution(request.executionArn);
    const active = this.runs.get(record.executionArn);
    if (!active) return { stopDate: record.stopDate ?? this.clock() };
    active.run.stop({ error: request.error, cause: request.cause });
    const closed = await active.closed;
    return { stopDate: closed.stopDate ?? this.clock() };
  }

  async redriveExecution(request: { executionArn: string; clientToken?: string | undefined }): Promise<{ redriveDate: number }> {
    const record = this.execution(request.executionArn);
    if (request.clientToken && record.redriveClientToken === request.clientToken && record.redriveDate !== undefined) {
      return { redriveDate: record.redriveDate };
    }
    const { redriveStatus, redriveStatusReason } = this.redriveStatus(record);
    if (redriveStatus !== 'REDRIVABLE') throw new ServiceError('ExecutionNotRedrivable', redriveStatusReason ?? 'Execution cannot be redriven');
    const machine = this.machine(record.stateMachineArn);
    const history = await this.store.openHistory(record.executionArn);

    // Re-read after the await: a concurrent redrive may have started it already.
    const current = this.execution(record.executionArn);
    if (current.status === 'RUNNING') throw new ServiceError('ExecutionNotRedrivable', `Execution is RUNNING and cannot be redriven`);
    const redriven: ExecutionRecord = {
      executionArn: current.executionArn,
      stateMachineArn: current.stateMachineArn,
      name: current.name,
      status: 'RUNNING',
      input: current.input,
      startDate: current.startDate,
      redriveCount: current.redriveCount + 1,
      redriveDate: this.clock(),
      ...(request.clientToken ? { redriveClientToken: request.clientToken } : {}),
    };
    this.store.save(redriven);
    const input = parseJson(current.input);
    const from = history.lastEnteredState(machine.compiled.topLevelStates);
    this.launch(machine, redriven, input, history, {
      kind: 'redrive',
      stateName: from?.name ?? machine.compiled.definition.StartAt,
      stateInput: from ? parseJson(from.input) : input,
    });
    return { redriveDate: redriven.redriveDate ?? this.clock() };
  }

  describeStateMachine(request: { stateMachineArn: string }) {
    const machine = this.machine(request.stateMachineArn);
    return {
      stateMachineArn: machine.stateMachineArn,
      name: machine.name,
      status: 'ACTIVE' as const,
      definition: JSON.stringify(machine.definition),
      roleArn: machine.roleArn,
      type: 'STANDARD' as const,
      creationDate: machine.creationDate,
      ...(machine.logging && { loggingConfiguration: { level: machine.logging.level, includeExecutionData: machine.logging.includeExecutionData } }),
      ...(machine.tracingEnabled !== undefined && { tracingConfiguration: { enabled: machine.tracingEnabled } }),
    };
  }

  describeStateMachineForExecution(request: { executionArn: string }) {
    const record = this.execution(request.executionArn);
    const { status: _status, type: _type, ...description } = this.describeStateMachine({ stateMachineArn: record.stateMachineArn });
    return { ...description, updateDate: description.creationDate };
  }

  listStateMachines(request: { maxResults?: number | undefined; nextToken?: string | undefined }) {
    const machines = [...this.machines.values()]
      .map((machine) => ({ stateMachineArn: machine.stateMachineArn, name: machine.name, type: 'STANDARD' as const, creationDate: machine.creationDate }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return this.page(machines, request, (machine) => machine.stateMachineArn);
  }

  /** No local Task waits for a token (the engine rejects .waitForTaskToken at registration), so no token names a task. */
  sendTaskResult(request: { taskToken: string }): never {
    throw new ServiceError('TaskDoesNotExist', `Task does not exist for token: '${request.taskToken}'`);
  }

  /** Resolves with the execution's record once it is no longer RUNNING (for in-process callers and tests). */
  async waitForExecution(executionArn: string): Promise<ExecutionRecord> {
    const active = this.runs.get(executionArn);
    return active ? active.closed : this.execution(executionArn);
  }

  /**
   * Shutdown: abandons every run without recording an end, so their
   * executions stay RUNNING and resume at the next start, then waits for the
   * store to finish writing.
   */
  async close(): Promise<void> {
    const active = [...this.runs.values()];
    for (const { run } of active) run.detach();
    await Promise.all(active.map(({ closed }) => closed));
    await this.store.flush();
  }

  private async resume(record: ExecutionRecord): Promise<void> {
    const machine = this.machines.get(record.stateMachineArn);
    const history = await this.store.openHistory(record.executionArn);
    if (!machine) {
      const failure = { error: 'States.Runtime', cause: `State machine ${record.stateMachineArn} is no longer part of the template` };
      history.append(executionFailed(failure));
      this.store.save({ ...record, status: 'FAILED', ...failure, stopDate: this.clock() });
      this.store.release(record.executionArn);
      return;
    }
    const input = parseJson(record.input);
    const from = history.lastEnteredState(machine.compiled.topLevelStates);
    const lastEvent = history.events.at(-1);
    const unanswered = lastEvent && UNANSWERED_ATTEMPT_EVENTS.has(lastEvent.type) ? lastEvent.timestamp : undefined;
    const start: RunStart =
      history.events.length === 0
        ? { kind: 'start' }
        : {
            kind: 'resume',
            stateName: from?.name ?? machine.compiled.definition.StartAt,
            stateInput: from ? parseJson(from.input) : input,
            unansweredTaskStartedAt: unanswered,
          };
    const timeoutSeconds = machine.compiled.definition.TimeoutSeconds;
    const attemptStart = record.redriveDate ?? record.startDate;
    const lastActivity = history.events.at(-1)?.timestamp ?? attemptStart;
    const remainingTimeMs = timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000 - (lastActivity - attemptStart);
    this.launch(machine, record, input, history, start, remainingTimeMs);
  }

  private launch(
    machine: RegisteredStateMachine,
    record: ExecutionRecord,
    input: JsonValue,
    history: HistoryLog,
    start: RunStart,
    remainingTimeMs?: number,
  ): void {
    const run = machine.compiled.run({
      executionArn: record.executionArn,
      executionName: record.name,
      input,
      redriveCount: record.redriveCount,
      history,
      start,
      remainingTimeMs,
    });
    const closed = run.outcome.then((outcome) => this.finish(record.executionArn, outcome));
    this.runs.set(record.executionArn, { run, closed });
  }

  private finish(executionArn: string, outcome: ExecutionOutcome): ExecutionRecord {
    this.runs.delete(executionArn);
    const record = this.execution(executionArn);
    if (outcome.status === 'DETACHED') return record;
    const { output: _output, error: _error, cause: _cause, ...rest } = record;
    const closed: ExecutionRecord = { ...rest, ...outcome, stopDate: this.clock() };
    this.store.save(closed);
    this.store.release(executionArn);
    return closed;
  }

  private redriveStatus(record: ExecutionRecord): Pick<ExecutionDescription, 'redriveStatus' | 'redriveStatusReason'> {
    if (!REDRIVABLE_STATUSES.includes(record.status)) {
      return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: `Execution is ${record.status} and cannot be redriven` };
    }
    if (record.stopDate !== undefined && this.clock() - record.stopDate > REDRIVE_WINDOW_MS) {
      return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution ended more than 14 days ago and can no longer be redriven' };
    }
    return { redriveStatus: 'REDRIVABLE' };
  }

  private machine(stateMachineArn: string): RegisteredStateMachine {
    if (!isStateMachineArn(stateMachineArn)) throw new ServiceError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    return machine;
  }

  private execution(executionArn: string): ExecutionRecord {
    if (!isExecutionArn(executionArn) || !stateMachineArnOfExecution(executionArn)) {
      throw new ServiceError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    }
    const record = this.store.get(executionArn);
    if (!record) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  private parseInput(input: string): JsonValue {
    if (Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES) {
      throw new ServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: larger than ${MAX_INPUT_BYTES} bytes`);
    }
    try {
      return parseJson(input);
    } catch {
      throw new ServiceError('InvalidExecutionInput', "Invalid State Machine Execution Input: 'not valid JSON'");
    }
  }

  /** One page of `items`; the token names the last item returned, so the next page continues after it. */
  private page<T>(items: readonly T[], request: { maxResults?: number | undefined; nextToken?: string | undefined }, keyOf: (item: T) => string) {
    let startIndex = 0;
    if (request.nextToken) {
      const { after } = decodeToken(request.nextToken, listCursorSchema);
      const index = items.findIndex((item) => keyOf(item) === after);
      if (index < 0) throw new ServiceError('InvalidToken', `Invalid Token: '${request.nextToken}'`);
      startIndex = index + 1;
    }
    const size = pageSize(request.maxResults);
    const page = items.slice(startIndex, startIndex + size);
    const last = page.at(-1);
    const more = startIndex + size < items.length && last !== undefined;
    return { items: page, ...(more ? { nextToken: encodeToken({ after: keyOf(last) }) } : {}) };
  }
}
