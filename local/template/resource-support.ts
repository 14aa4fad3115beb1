import type { z } from 'zod';
import type { TemplateResolver } from './intrinsics.ts';
import { UnsupportedPropertyError } from './template-errors.ts';

/**
 * What the local runtime does with each part of the template. A resource
 * type is served (a mapper turns it into the LocalApp model), or listed here
 * as not needed locally with the reason, or it stops startup. Within a
 * served type, each property is served, ignored with a reason, or an error.
 */

const NO_IAM = 'resource-based policies are not enforced locally: the functions\' own roles are (local/iam)';
const READ_WITH_FUNCTIONS = 'read with the functions that assume the role: local/iam enforces its policies on their calls';
const NO_CLOUDWATCH = 'there is no CloudWatch locally: function logs go to the local log sink';
const NO_ENCRYPTION = 'local services keep their data unencrypted on this machine';

/** Resource types that exist in the template but have no behaviour to emulate locally. */
export const NOT_NEEDED_LOCALLY: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': READ_WITH_FUNCTIONS,
  'AWS::IAM::Policy': READ_WITH_FUNCTIONS,
  'AWS::IAM::ManagedPolicy': READ_WITH_FUNCTIONS,
  'AWS::Lambda::Permission': NO_IAM,
  'AWS::SQS::QueuePolicy': NO_IAM,
  'AWS::Events::EventBusPolicy': NO_IAM,
  'AWS::Logs::LogGroup': NO_CLOUDWATCH,
  'AWS::Logs::ResourcePolicy': NO_CLOUDWATCH,
  'AWS::Logs::MetricFilter': `${NO_CLOUDWATCH}, and metric filters only feed alarms`,
  'Custom::LogRetention': NO_CLOUDWATCH,
  'AWS::CloudWatch::Alarm': `${NO_CLOUDWATCH}, and alarms have no metrics to watch`,
  'AWS::CloudWatch::CompositeAlarm': `${NO_CLOUDWATCH}, and alarms have no metrics to watch`,
  'AWS::CloudWatch::Dashboard': NO_CLOUDWATCH,
  'AWS::SNS::Topic': 'only alarms notify topics, and alarms do not run locally; a topic used as a rule target is an error',
  'AWS::SNS::Subscription': 'only alarms notify topics, and alarms do not run locally',
  'AWS::SNS::TopicPolicy': NO_IAM,
  'AWS::Cognito::UserPool': 'the local JWT issuer (npm run token) signs development tokens in its place',
  'AWS::Cognito::UserPoolClient': 'its client id is the audience the local issuer puts in development tokens',
  'AWS::Cognito::UserPoolDomain': 'hosted sign-in pages are replaced by the local JWT issuer',
  'AWS::Cognito::UserPoolGroup': 'the local JWT issuer puts groups in tokens itself',
  'AWS::KMS::Key': NO_ENCRYPTION,
  'AWS::KMS::Alias': NO_ENCRYPTION,
  'AWS::ApiGatewayV2::Deployment': 'the local API serves the routes of the template directly, as an auto-deployed stage does',
  'AWS::CDK::Metadata': 'CDK version analytics, with no runtime behaviour',
};

export interface PropertyPolicy {
  /** Properties the runtime reads and honours. */
  readonly served: readonly string[];
  /** Properties with no local effect, with the reason that is safe. */
  readonly ignored?: Readonly<Record<string, string>>;
  /** Properties known to change behaviour the runtime cannot reproduce, with the reason (for a clearer error). */
  readonly unsupported?: Readonly<Record<string, string>>;
}

/** One resource of the template, as a mapper sees it. */
export interface ResourceView {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly resolver: TemplateResolver;
}

/** Fails on the first property that is neither served nor knowingly ignored. */
const checkProperties = (resource: ResourceView, policy: PropertyPolicy): void => {
  for (const name of Object.keys(resource.properties)) {
    if (policy.served.includes(name) || (policy.ignored && Object.hasOwn(policy.ignored, name))) continue;
    const reason = policy.unsupported && Object.hasOwn(policy.unsupported, name) ? policy.unsupported[name] : undefined;
    throw new UnsupportedPropertyError(resource.logicalId, resource.type, name, reason ?? 'the local runtime has no emulation for it');
  }
};

/**
 * Checks the properties against the policy, resolves the served ones and
 * parses them with the type's schema. Ignored properties are never resolved,
 * so an intrinsic in them (a role ARN, a KMS key) cannot fail startup.
 */
export const readProperties = <T>(resource: ResourceView, policy: PropertyPolicy, schema: z.ZodType<T>): T => {
  checkProperties(resource, policy);
  const resolved = Object.fromEntries(
    policy.served
      .filter((name) => Object.hasOwn(resource.properties, name))
      .map((name) => [name, resource.resolver.property(resource.logicalId, name)]),
  );
  const parsed = schema.safeParse(resolved);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const path = issue?.path.map(String).join('.') || '(properties)';
  throw new UnsupportedPropertyError(resource.logicalId, resource.type, path, issue?.message ?? parsed.error.message);
};

/** For property values the runtime cannot serve: throws unless `served` holds. */
export const requireServable = (resource: ResourceView, property: string, served: boolean, reason: string): void => {
  if (!served) throw new UnsupportedPropertyError(resource.logicalId, resource.type, property, reason);
};
