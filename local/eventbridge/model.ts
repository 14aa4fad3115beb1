import type { LocalArchive, LocalEventBus, LocalRule, LocalRuleTarget } from '#local/template/local-app';

/**
 * What the local EventBridge serves: the buses, rules and archives of the
 * template model (local/template/local-app.ts), as much of each as the bus
 * reads. The runtime hands it the LocalApp's; tests build them directly.
 */

export type EventBridgeTarget = Pick<LocalRuleTarget, 'id' | 'arn' | 'input' | 'inputPath' | 'inputTransformer' | 'retryPolicy' | 'deadLetterQueueArn'>;

export interface EventBridgeRule extends Pick<LocalRule, 'name' | 'eventBusName' | 'eventPattern' | 'scheduleExpression' | 'enabled'> {
  readonly targets: readonly EventBridgeTarget[];
}

export type EventBridgeArchive = Pick<LocalArchive, 'name' | 'eventBusName' | 'eventPattern' | 'retentionDays'>;

export interface EventBridgeModel {
  /** Buses besides `default`, which always exists. */
  readonly eventBuses: ReadonlyArray<Pick<LocalEventBus, 'name'>>;
  readonly rules: readonly EventBridgeRule[];
  readonly archives: readonly EventBridgeArchive[];
}
