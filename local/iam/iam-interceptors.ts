import { awsJsonError, type Interceptor } from '#local/proxy/aws-json-proxy';
import { dynamoDbAuthorizationRequests } from './dynamodb-requests.ts';
import { eventBridgeAuthorizationRequests } from './eventbridge-requests.ts';
import { accessKeyIdOf, compileFunctionPrincipals, UNRESTRICTED_ACCESS_KEY_ID, type FunctionPrincipal, type FunctionsAndRoles } from './function-principals.ts';
import type { AuthorizationRequest } from './role-policy.ts';
import { sqsAuthorizationRequests } from './sqs-requests.ts';
import { stepFunctionsAuthorizationRequests } from './step-functions-requests.ts';

/**
 * The functions' roles enforced in front of each service they call (through
 * the runtime's proxies, local/proxy/aws-json-proxy.ts): a call its role does
 * not allow gets the service's own AccessDeniedException, as on AWS, so a
 * missing grant shows on the laptop and not after a deployment.
 */

type RequestsOf = (operation: string, body: unknown) => AuthorizationRequest[];

interface ServiceRules {
  readonly requestsOf: RequestsOf;
  /** The `__type` of the service's denial. */
  readonly accessDeniedType: string;
}

const SERVICES = {
  dynamodb: { requestsOf: dynamoDbAuthorizationRequests, accessDeniedType: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException' },
  sqs: { requestsOf: sqsAuthorizationRequests, accessDeniedType: 'AccessDeniedException' },
  stepFunctions: { requestsOf: stepFunctionsAuthorizationRequests, accessDeniedType: 'AccessDeniedException' },
  eventBridge: { requestsOf: eventBridgeAuthorizationRequests, accessDeniedType: 'AccessDeniedException' },
} as const satisfies Record<string, ServiceRules>;

export type IamEnforcement = Readonly<Record<keyof typeof SERVICES, Interceptor>>;

const UNRECOGNIZED_CLIENT = 'UnrecognizedClientException';

const jsonOf = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const enforce =
  (rules: ServiceRules, principals: ReadonlyMap<string, FunctionPrincipal>): Interceptor =>
  (request, forward) => {
    const accessKeyId = accessKeyIdOf(request.headers);
    if (accessKeyId === UNRESTRICTED_ACCESS_KEY_ID) return forward();
    const principal = accessKeyId === undefined ? undefined : principals.get(accessKeyId);
    if (!principal) return Promise.resolve(awsJsonError(400, UNRECOGNIZED_CLIENT, `The security token included in the request is invalid (access key ${accessKeyId ?? 'missing'} is no function of the template)`));
    for (const authorization of rules.requestsOf(request.operation, jsonOf(request.body))) {
      const decision = principal.authorize(authorization);
      if (!decision.allowed) {
        return Promise.resolve(
          awsJsonError(400, rules.accessDeniedType, `User: ${principal.arn} is not authorized to perform: ${authorization.action} on resource: ${authorization.resource} ${decision.because}`),
        );
      }
    }
    return forward();
  };

/** One interceptor per service, sharing the principals compiled once from the template's roles. */
export const createIamEnforcement = (app: FunctionsAndRoles): IamEnforcement => {
  const principals = compileFunctionPrincipals(app);
  return {
    dynamodb: enforce(SERVICES.dynamodb, principals),
    sqs: enforce(SERVICES.sqs, principals),
    stepFunctions: enforce(SERVICES.stepFunctions, principals),
    eventBridge: enforce(SERVICES.eventBridge, principals),
  };
};
