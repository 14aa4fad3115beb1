import type { IncomingHttpHeaders } from 'node:http';
import { LOCAL_ACCOUNT } from '#local/ports';
import type { LocalFunction, LocalRole } from '#local/template/local-app';
import { compileRolePolicy, type RolePolicy } from './role-policy.ts';

/**
 * Who is calling: each function signs its requests with an access key id of
 * its own, and the key maps to the function's role, compiled once at
 * startup. The runtime's own clients, the tools and the tests sign with the
 * shared key and stay unrestricted.
 */

/** The key the runtime's clients, the tools and the tests sign with: not a principal of the template. */
export const UNRESTRICTED_ACCESS_KEY_ID = 'local';

/**
 * The access key id a function's worker signs with (AWS_ACCESS_KEY_ID), one
 * per function name. Letters and digits only: DynamoDB Local refuses any
 * other key (UnrecognizedClientException), so the name is hex-encoded.
 */
export const functionAccessKeyId = (fn: Pick<LocalFunction, 'name'>): string => `LOCALFN${Buffer.from(fn.name, 'utf8').toString('hex').toUpperCase()}`;

export interface FunctionPrincipal {
  /** What a denial names: `arn:aws:sts::<account>:assumed-role/<role>/<function>`, as the Lambda service's session does. */
  readonly arn: string;
  readonly authorize: RolePolicy;
}

const DENY_EVERYTHING: RolePolicy = (request) => ({ allowed: false, because: `because the function has no execution role, so no identity-based policy allows the ${request.action} action` });

/** What enforcement reads of the LocalApp model: each function's role, and the roles' policies. */
export interface FunctionsAndRoles {
  readonly functions: ReadonlyArray<Pick<LocalFunction, 'name' | 'roleArn'>>;
  readonly roles: ReadonlyArray<Pick<LocalRole, 'name' | 'arn' | 'policyDocuments' | 'awsManagedPolicyArns'>>;
}

export const compileFunctionPrincipals = (app: FunctionsAndRoles): ReadonlyMap<string, FunctionPrincipal> => {
  const policies = new Map(app.roles.map((role) => [role.arn, { name: role.name, authorize: compileRolePolicy(role) }]));
  return new Map(
    app.functions.map((fn) => {
      const role = fn.roleArn === undefined ? undefined : policies.get(fn.roleArn);
      const principal: FunctionPrincipal = {
        arn: `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${role?.name ?? 'none'}/${fn.name}`,
        authorize: role?.authorize ?? DENY_EVERYTHING,
      };
      return [functionAccessKeyId(fn), principal];
    }),
  );
};

const CREDENTIAL = /Credential=([^/,\s]+)\//;

/** The access key id of a SigV4-signed request, from its Authorization header. */
export const accessKeyIdOf = (headers: IncomingHttpHeaders | undefined): string | undefined => {
  const authorization = headers?.authorization;
  return typeof authorization === 'string' ? CREDENTIAL.exec(authorization)?.[1] : undefined;
};
