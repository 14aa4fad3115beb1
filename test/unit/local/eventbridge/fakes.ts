import { FunctionError, type ExecutionStarter, type FunctionInvoker } from '#local/ports';
import type { PutEventsEntry } from '#local/eventbridge/entries';
import type { EventBridgeArchive, EventBridgeModel, EventBridgeRule, EventBridgeTarget } from '#local/eventbridge/model';
import type { AttributedQueueSender, MessageAttributes } from '#local/eventbridge/targets';

/** A promise with its resolve exposed, to hold a fake target until the test releases it. */
export const gate = () => {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

/** A fake Lambda service: records invocations and runs a per-test behaviour. */
export class FakeFunctions implements FunctionInvoker {
  readonly invocations: Array<{ readonly functionNameOrArn: string; readonly event: unknown }> = [];
  private inFlight = 0;
  maxInFlight = 0;

  constructor(private behaviour: (event: unknown, attempt: number) => Promise<unknown> = async () => null) {}

  /** Fails the first `times` invocations with a Lambda function error. */
  static failing(times: number, errorType = 'TransientError'): FakeFunctions {
    return new FakeFunctions(async (_event, attempt) => {
      if (attempt <= times) throw new FunctionError(errorType, `attempt ${attempt} failed`);
      return null;
    });
  }

  respondWith(behaviour: (event: unknown, attempt: number) => Promise<unknown>) {
    this.behaviour = behaviour;
  }

  async invoke(functionNameOrArn: string, event: unknown): Promise<unknown> {
    this.invocations.push({ functionNameOrArn, event });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.behaviour(event, this.invocations.length);
    } finally {
      this.inFlight--;
    }
  }

  eventsFor(functionArn: string): unknown[] {
    return this.invocations.filter((invocation) => invocation.functionNameOrArn === functionArn).map((invocation) => invocation.event);
  }
}

export class FakeQueues implements AttributedQueueSender {
  readonly messages: Array<{ readonly queue: string; readonly body: string; readonly attributes?: MessageAttributes }> = [];

  async sendMessage(queue: string, body: string, attributes?: MessageAttributes): Promise<void> {
    this.messages.push({ queue, body, ...(attributes && { attributes }) });
  }
}

export class FakeExecutions implements ExecutionStarter {
  readonly started: Array<{ readonly stateMachineArn: string; readonly input: string }> = [];

  async startExecution(stateMachineArn: string, input: string): Promise<void> {
    this.started.push({ stateMachineArn, input });
  }
}


/** A PutEvents entry for the ticketing bus used across these tests. */
export const entry = (detailType: string, detail: Record<string, unknown>, overrides: Partial<PutEventsEntry> = {}): PutEventsEntry => ({
  EventBusName: 'ticketing',
  Source: 'ticketing.orders',
  DetailType: detailType,
  Detail: JSON.stringify(detail),
  ...overrides,
});

/** Silences and records the bus's warnings. */
export const recordingLogger = () => {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => void warnings.push(message) };
};

/** EventBridge's retry policy when a target declares none, as the template reader fills it in. */
export const retryPolicy = (overrides: Partial<EventBridgeTarget['retryPolicy']> = {}): EventBridgeTarget['retryPolicy'] => ({
  maximumRetryAttempts: 185,
  maximumEventAgeSeconds: 86_400,
  ...overrides,
});

/** A rule target as the template model holds it. */
export const target = (id: string, arn: string, overrides: Partial<EventBridgeTarget> = {}): EventBridgeTarget => ({ id, arn, retryPolicy: retryPolicy(), ...overrides });

/** An enabled rule on the ticketing bus, as the template model holds it. */
export const rule = (name: string, overrides: Partial<EventBridgeRule> = {}): EventBridgeRule => ({
  name,
  eventBusName: 'ticketing',
  eventPattern: {},
  enabled: true,
  targets: [],
  ...overrides,
});

/** An archive of the ticketing bus that keeps events forever. */
export const archive = (name: string, overrides: Partial<EventBridgeArchive> = {}): EventBridgeArchive => ({ name, eventBusName: 'ticketing', retentionDays: 0, ...overrides });

/** The ticketing bus with the given rules and archives. */
export const ticketingModel = (parts: Partial<Omit<EventBridgeModel, 'eventBuses'>> = {}): EventBridgeModel => ({
  eventBuses: [{ name: 'ticketing' }],
  rules: [],
  archives: [],
  ...parts,
});
