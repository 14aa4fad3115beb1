import { z } from 'zod';
import type { AuthorizationRequest } from './role-policy.ts';

/**
 * What Step Functions authorizes for one request: the action on the state
 * machine or the execution it names (StartExecution a machine, Describe- or
 * StopExecution an execution), and on `*` for calls that name neither
 * (SendTaskSuccess, ListStateMachines).
 */

const requestShape = z.looseObject({ stateMachineArn: z.string().optional(), executionArn: z.string().optional() });

export const stepFunctionsAuthorizationRequests = (operation: string, body: unknown): AuthorizationRequest[] => {
  const request = requestShape.safeParse(body).data ?? {};
  return [{ action: `states:${operation}`, resource: request.executionArn ?? request.stateMachineArn ?? '*' }];
};
