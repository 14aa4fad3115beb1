import { compileCondition, type CompiledCondition, type RequestContext } from './conditions.ts';
import { parsePolicyDocument, PolicyDocumentError, type PolicyStatement } from './policy-document.ts';
import { compileWildcards } from './wildcard.ts';

/**
 * A role's identity-based policies compiled once into one decision function,
 * evaluated as IAM does for a single account: an explicit Deny wins, then any
 * Allow whose action, resource and condition match, else the request is
 * implicitly denied.
 */

/** One action on one resource, with the condition keys the service sets for it. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: RequestContext;
}

type Decision = { readonly allowed: true } | { readonly allowed: false; readonly because: string };

export type RolePolicy = (request: AuthorizationRequest) => Decision;

export interface RolePolicySource {
  readonly name: string;
  readonly policyDocuments: readonly unknown[];
  readonly awsManagedPolicyArns: readonly string[];
}

/**
 * AWS managed policies whose grants have no local counterpart (logs, traces,
 * network interfaces): leaving them out changes nothing the functions call.
 */
const WITHOUT_LOCAL_EFFECT = ['AWSLambdaBasicExecutionRole', 'AWSXRayDaemonWriteAccess', 'AWSLambdaVPCAccessExecutionRole', 'CloudWatchLambdaInsightsExecutionRolePolicy'];

const EMPTY_CONTEXT: RequestContext = new Map();

interface CompiledStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly matchesAction: (action: string) => boolean;
  readonly matchesResource: (resource: string) => boolean;
  readonly condition?: CompiledCondition;
}

const compileStatement = (statement: PolicyStatement): CompiledStatement => ({
  effect: statement.effect,
  matchesAction: compileWildcards(statement.actions, { ignoreCase: true }),
  matchesResource: compileWildcards(statement.resources, { ignoreCase: false }),
  ...(statement.condition && { condition: compileCondition(statement.condition) }),
});

const policyNameOf = (policyArn: string) => policyArn.split('/').pop() ?? policyArn;

export const compileRolePolicy = (role: RolePolicySource): RolePolicy => {
  const unknownManaged = role.awsManagedPolicyArns.filter((policyArn) => !WITHOUT_LOCAL_EFFECT.includes(policyNameOf(policyArn)));
  if (unknownManaged.length > 0) {
    throw new PolicyDocumentError(`Role ${role.name}: the AWS managed policies ${unknownManaged.join(', ')} are not in the template, so what they allow is unknown locally; grant the actions in the template instead`);
  }
  const statements = role.policyDocuments.flatMap((document, index) => parsePolicyDocument(document, `Role ${role.name}, policy document ${index + 1}`)).map(compileStatement);
  const denies = statements.filter((statement) => statement.effect === 'Deny');
  const allows = statements.filter((statement) => statement.effect === 'Allow');

  return (request) => {
    const context = request.context ?? EMPTY_CONTEXT;
    const applicable = (statement: CompiledStatement) => statement.matchesAction(request.action) && statement.matchesResource(request.resource);
    let unsupportedOperator: string | undefined;
    const conditionHolds = (statement: CompiledStatement, failClosedAs: boolean) => {
      if (!statement.condition) return true;
      const outcome = statement.condition(context);
      if ('holds' in outcome) return outcome.holds;
      unsupportedOperator = outcome.unsupportedOperator;
      return failClosedAs;
    };
    // A Deny whose condition cannot be evaluated is taken to apply: fail closed both ways.
    if (denies.some((statement) => applicable(statement) && conditionHolds(statement, true))) {
      return { allowed: false, because: 'with an explicit deny in an identity-based policy' };
    }
    if (allows.some((statement) => applicable(statement) && conditionHolds(statement, false))) return { allowed: true };
    if (unsupportedOperator !== undefined) {
      return { allowed: false, because: `because the local runtime cannot evaluate the condition operator ${unsupportedOperator} of the statement that would allow it` };
    }
    return { allowed: false, because: `because no identity-based policy allows the ${request.action} action` };
  };
};
