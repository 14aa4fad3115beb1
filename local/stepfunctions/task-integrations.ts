import { isLambdaFunctionArn } from '#local/arns';
import type { EventPutter, FunctionInvoker, InvocationContext } from '#local/ports';
import type { AslState } from './asl.ts';
import { PUT_EVENTS_RESOURCE, putEvents } from './events-integration.ts';
import type { TaskResource } from './history-events.ts';
import type { JsonValue } from './json.ts';
import { invokeFunctionArn, invokeOptimized, LAMBDA_INVOKE_RESOURCE } from './lambda-integration.ts';

/**
 * What a Task state's Resource does locally. aws-local-stepfunctions only
 * overrides tasks by state name, so the engine resolves every Task's
 * Resource once, here, and hands the library one handler per state.
 */
export interface TaskIntegration {
  /** Which history events an attempt records: `Task*` for service integrations, `LambdaFunction*` for a function ARN. */
  readonly history: { readonly kind: 'task'; readonly task: TaskResource } | { readonly kind: 'lambda'; readonly functionArn: string };
  /** `context.callerDeadline` is when the Task's TimeoutSeconds runs out, when the state sets one. */
  run(parameters: JsonValue, context?: InvocationContext): Promise<JsonValue>;
}

export interface IntegrationPorts {
  readonly invoker: FunctionInvoker;
  /** Needed only by `events:putEvents` tasks. */
  readonly eventPutter?: EventPutter | undefined;
}

export type ResolvedIntegration = { readonly integration: TaskIntegration } | { readonly problem: string };

const hasField = (parameters: unknown, field: string): boolean =>
  typeof parameters === 'object' && parameters !== null && (field in parameters || `${field}.$` in parameters);

const SERVICE_INTEGRATION = /^arn:aws[a-z-]*:states:::([a-z0-9-]+):([A-Za-z0-9]+)(\.sync(?::2)?|\.waitForTaskToken)?$/;

export const resolveTaskIntegration = (stateName: string, state: AslState, ports: IntegrationPorts): ResolvedIntegration => {
  const resource = state.Resource ?? '';
  const where = `state "${stateName}" (Resource ${resource})`;

  if (resource === LAMBDA_INVOKE_RESOURCE) {
    if (!hasField(state.Parameters, 'FunctionName') || !hasField(state.Parameters, 'Payload')) {
      return { problem: `${where}: lambda:invoke needs Parameters.FunctionName and Parameters.Payload` };
    }
    return {
      integration: {
        history: { kind: 'task', task: { resourceType: 'lambda', resource: 'invoke' } },
        run: (parameters, context) => invokeOptimized(ports.invoker, parameters, context),
      },
    };
  }

  if (isLambdaFunctionArn(resource)) {
    return {
      integration: {
        history: { kind: 'lambda', functionArn: resource },
        run: (input, context) => invokeFunctionArn(ports.invoker, resource, input, context),
      },
    };
  }

  if (resource === PUT_EVENTS_RESOURCE) {
    const { eventPutter } = ports;
    if (!eventPutter) return { problem: `${where}: events:putEvents needs an event bus, and none is wired to the engine` };
    if (!hasField(state.Parameters, 'Entries')) return { problem: `${where}: events:putEvents needs Parameters.Entries` };
    return {
      integration: {
        history: { kind: 'task', task: { resourceType: 'events', resource: 'putEvents' } },
        run: (parameters) => putEvents(eventPutter, parameters),
      },
    };
  }

  const service = SERVICE_INTEGRATION.exec(resource);
  if (service?.[3]) {
    return { problem: `${where}: the ${service[3]} integration pattern is not supported locally (request-response only)` };
  }
  if (service?.[1] === 'dynamodb') {
    return { problem: `${where}: direct DynamoDB integrations are not supported locally; call DynamoDB from a Lambda function` };
  }
  return { problem: `${where}: this resource is not supported locally (supported: lambda:invoke, a Lambda function ARN, events:putEvents)` };
};
