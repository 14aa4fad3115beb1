import type { HistoryEvent } from './history.ts';

/**
 * What the operator commands need from AWS (or the local runtime), as small
 * interfaces. The adapters next to this file implement them with the SDK;
 * the commands are plain functions over them, so their logic is tested
 * without a network.
 */

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export interface ExecutionSummary {
  /** The execution name, which is the purchaseId. */
  readonly name: string;
  readonly arn: string;
  readonly status: ExecutionStatus;
  readonly startedAt: Date;
  readonly stoppedAt?: Date;
  readonly redriveCount?: number;
}

export interface ExecutionDetails extends ExecutionSummary {
  readonly error?: string;
  readonly cause?: string;
  readonly output?: string;
  /** NOT_REDRIVABLE when RedriveExecution would refuse it, with the reason. */
  readonly redriveStatus?: string;
  readonly redriveStatusReason?: string;
}

export interface ExecutionQuery {
  readonly status?: ExecutionStatus;
  /** Only executions started at or after this time. */
  readonly since?: Date;
  readonly limit: number;
}

/** The purchase saga's executions, addressed by name (= purchaseId). */
export interface ExecutionsPort {
  describe(name: string): Promise<ExecutionDetails | undefined>;
  /** Every event, all pages, oldest first. */
  history(name: string): Promise<HistoryEvent[]>;
  /** Newest first. */
  list(query: ExecutionQuery): Promise<ExecutionSummary[]>;
  redrive(name: string, clientToken: string): Promise<{ readonly redrivenAt?: Date }>;
}

/** The purchase record as support may see it: never the payment token. */
export interface PurchaseRecord {
  readonly purchaseId: string;
  readonly buyerId?: string;
  readonly concertId?: string;
  readonly seatIds?: readonly string[];
  readonly paymentRef?: string;
  /** Whether the record still holds the payment token (never its value): removed once the purchase ends. */
  readonly paymentDetails?: 'held' | 'removed';
  readonly idempotencyKey?: string;
  readonly correlationId?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly status?: string;
  readonly total?: { readonly amount: number; readonly currency: string };
  readonly invoiceId?: string;
  readonly failureReason?: string;
  readonly failureMessage?: string;
  readonly failedStep?: string;
}

export interface PurchaseLookup {
  readonly record: PurchaseRecord;
  /** Fields of the stored item that did not have the expected shape (left out of the record). */
  readonly problems: readonly string[];
}

export interface PurchasesPort {
  find(purchaseId: string): Promise<PurchaseLookup | undefined>;
}

/** A domain event as the archive keeps it. */
export interface ArchivedEvent {
  readonly id: string;
  readonly detailType: string;
  readonly source: string;
  readonly time: Date;
  readonly detail: unknown;
}

/** Reads the bus archive. Only the local runtime offers this: AWS has no API to read an archive. */
export interface ArchivePort {
  readonly location: string;
  eventsOfPurchase(purchaseId: string): Promise<ArchivedEvent[]>;
  countBetween(from: Date, to: Date, detailType?: string): Promise<number>;
}

export interface RuleInfo {
  readonly name: string;
  readonly arn: string;
  readonly eventPattern?: string;
  readonly state?: string;
  /** Set on rules a service manages (such as the archive's own rule): never replay targets. */
  readonly managedBy?: string;
}

export const REPLAY_END_STATES = ['COMPLETED', 'CANCELLED', 'FAILED'] as const;

export interface ReplayStatus {
  readonly state: string;
  readonly stateReason?: string;
  readonly lastReplayedAt?: Date;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
}

interface ReplayRequest {
  readonly name: string;
  readonly description: string;
  readonly archiveArn: string;
  readonly busArn: string;
  readonly from: Date;
  readonly to: Date;
  readonly ruleArns: readonly string[];
}

export interface ReplayPort {
  listRules(busName: string): Promise<RuleInfo[]>;
  startReplay(request: ReplayRequest): Promise<void>;
  describeReplay(name: string): Promise<ReplayStatus>;
}

export interface QueueMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly receiveCount?: number;
  readonly sentAt?: Date;
  readonly messageAttributes?: Readonly<Record<string, { readonly DataType: string; readonly StringValue?: string; readonly BinaryValue?: Uint8Array }>>;
}

export interface QueuePort {
  approximateCount(queueUrl: string): Promise<number>;
  /** Up to 10 messages, hidden from other consumers for `visibilitySeconds`. */
  receive(queueUrl: string, max: number, visibilitySeconds: number): Promise<QueueMessage[]>;
  /** Makes received messages visible again at once. */
  release(queueUrl: string, receiptHandles: readonly string[]): Promise<void>;
  send(queueUrl: string, message: QueueMessage): Promise<void>;
  delete(queueUrl: string, receiptHandle: string): Promise<void>;
}

/** Time, so that polling loops are tested without waiting. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
