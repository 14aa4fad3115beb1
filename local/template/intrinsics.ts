import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/ports';
import { cloudFormationStackArn, LOCAL_PARTITION } from '#local/arns';
import { localAttribute, localRef, type LocalEndpoints } from './local-identities.ts';
import { IntrinsicError } from './template-errors.ts';
import type { CloudFormationTemplate } from './template-schema.ts';

/**
 * Evaluates CloudFormation intrinsic functions the way a deployment would,
 * but against local physical names, ARNs and endpoints: Ref, Fn::GetAtt,
 * Fn::Join, Fn::Sub (both forms), Fn::Select, Fn::Split, Fn::If and the
 * condition functions, Fn::FindInMap, Fn::Base64, and the pseudo parameters.
 * Anything else is an error naming where it appears, never a guess.
 */

export interface ResolverOptions {
  readonly template: CloudFormationTemplate;
  readonly stackName: string;
  readonly endpoints: LocalEndpoints;
  /** Values for template parameters; a parameter without one uses its Default. */
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface TemplateResolver {
  /** Resolves every intrinsic inside `value`. `location` says where it comes from, for error messages. */
  resolve(value: unknown, location: string): unknown;
  /** One resolved property of a resource (memoized), undefined when absent. */
  property(logicalId: string, name: string): unknown;
  /** Whether a named condition of the template holds. */
  condition(name: string): boolean;
  /** Whether a resource is part of this deployment: it exists and its Condition, if any, holds. */
  isDeployed(logicalId: string): boolean;
}

/** `Ref: AWS::NoValue` removes the property or list element that holds it. */
const NO_VALUE = Symbol('AWS::NoValue');

const UNSUPPORTED_FUNCTIONS: Readonly<Record<string, string>> = {
  'Fn::ImportValue': 'cross-stack imports need the exporting stack, which is not deployed locally',
  'Fn::GetAZs': 'there are no availability zones locally',
  'Fn::Cidr': 'there is no VPC locally',
  'Fn::Transform': 'macros run in the CloudFormation service',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const intrinsicName = (value: Record<string, unknown>): string | undefined => {
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::')) ? key : undefined;
};

const describe = (value: unknown) => JSON.stringify(value) ?? String(value);

export const createTemplateResolver = (options: ResolverOptions): TemplateResolver => {
  const { template, stackName, endpoints } = options;
  const resources = template.Resources;
  const pseudoParameters: Readonly<Record<string, unknown>> = {
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::Region': LOCAL_REGION,
    'AWS::Partition': LOCAL_PARTITION,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stackName,
    'AWS::StackId': cloudFormationStackArn(stackName),
    'AWS::NotificationARNs': [],
    'AWS::NoValue': NO_VALUE,
  };

  const conditionCache = new Map<string, boolean>();
  const propertyCache = new Map<string, unknown>();
  // Guards against a template whose names refer to each other in a loop.
  const inProgress = new Set<string>();

  const guarded = <T>(key: string, location: string, compute: () => T): T => {
    if (inProgress.has(key)) throw new IntrinsicError(location, `circular reference through ${key}`);
    inProgress.add(key);
    try {
      return compute();
    } finally {
      inProgress.delete(key);
    }
  };

  const condition = (name: string, location = `Conditions.${name}`): boolean => {
    const cached = conditionCache.get(name);
    if (cached !== undefined) return cached;
    const conditions = template.Conditions ?? {};
    if (!Object.hasOwn(conditions, name)) throw new IntrinsicError(location, `unknown condition "${name}"`);
    const value = guarded(`Conditions.${name}`, location, () => evaluateCondition(conditions[name], `Conditions.${name}`));
    conditionCache.set(name, value);
    return value;
  };

  const evaluateCondition = (expression: unknown, location: string): boolean => {
    if (isRecord(expression) && Object.keys(expression).length === 1 && typeof expression.Condition === 'string') {
      return condition(expression.Condition, location);
    }
    const value = resolve(expression, location);
    if (typeof value !== 'boolean') throw new IntrinsicError(location, `a condition must evaluate to true or false, got ${describe(value)}`);
    return value;
  };

  const isDeployed = (logicalId: string): boolean => {
    const resource = resources[logicalId];
    if (!resource) return false;
    return resource.Condition === undefined || condition(resource.Condition, `Resources.${logicalId}.Condition`);
  };

  const property = (logicalId: string, name: string): unknown => {
    const key = `${logicalId}.${name}`;
    if (propertyCache.has(key)) return propertyCache.get(key);
    const raw = resources[logicalId]?.Properties?.[name];
    const location = `Resources.${logicalId}.Properties.${name}`;
    const value = raw === undefined ? undefined : guarded(key, location, () => resolve(raw, location));
    propertyCache.set(key, value);
    return value;
  };

  const identityContext = (logicalId: string) => ({
    logicalId,
    region: LOCAL_REGION,
    endpoints,
    property: (name: string) => property(logicalId, name),
  });

  const deployedResourceType = (logicalId: string, location: string): string => {
    const resource = resources[logicalId];
    if (!resource) throw new IntrinsicError(location, `reference to unknown resource or parameter "${logicalId}"`);
    if (!isDeployed(logicalId)) {
      throw new IntrinsicError(location, `reference to ${logicalId}, which is not deployed because condition ${resource.Condition} is false`);
    }
    return resource.Type;
  };

  const parameterValue = (name: string, location: string): unknown => {
    const given = options.parameters?.[name];
    const parameter = template.Parameters?.[name];
    if (!parameter) return undefined;
    if (given === undefined && parameter.Type.startsWith('AWS::SSM::Parameter::Value')) {
      throw new IntrinsicError(location, `parameter ${name} takes its value from SSM Parameter Store, which does not exist locally; pass a value for it`);
    }
    const value = given ?? parameter.Default;
    if (value === undefined) throw new IntrinsicError(location, `parameter ${name} has no Default and no value was given`);
    const isList = parameter.Type === 'CommaDelimitedList' || parameter.Type.startsWith('List<');
    return isList && typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;
  };

  const ref = (name: unknown, location: string): unknown => {
    if (typeof name !== 'string') throw new IntrinsicError(location, `Ref takes a name, got ${describe(name)}`);
    if (Object.hasOwn(pseudoParameters, name)) return pseudoParameters[name];
    if (name.startsWith('AWS::')) throw new IntrinsicError(location, `unknown pseudo parameter ${name}`);
    const parameter = parameterValue(name, location);
    if (parameter !== undefined) return parameter;
    const type = deployedResourceType(name, location);
    return guarded(`Ref ${name}`, location, () => localRef(type, identityContext(name)));
  };

  const getAtt = (args: unknown, location: string): string => {
    const resolved = typeof args === 'string' ? splitOnce(args, '.') : resolve(args, location);
    if (!Array.isArray(resolved) || resolved.length !== 2 || !resolved.every((part) => typeof part === 'string')) {
      throw new IntrinsicError(location, `Fn::GetAtt takes [logicalId, attribute], got ${describe(args)}`);
    }
    const [logicalId, attribute] = resolved as [string, string];
    const type = deployedResourceType(logicalId, location);
    const value = guarded(`GetAtt ${logicalId}.${attribute}`, location, () => localAttribute(type, attribute, identityContext(logicalId)));
    if (value === undefined) {
      throw new IntrinsicError(location, `attribute ${attribute} of ${logicalId} (${type}) has no local value`);
    }
    return value;
  };

  const sub = (args: unknown, location: string): string => {
    const [text, variables] = Array.isArray(args) ? args : [args, {}];
    if (typeof text !== 'string' || !isRecord(variables) || (Array.isArray(args) && args.length !== 2)) {
      throw new IntrinsicError(location, `Fn::Sub takes a string or [string, {variables}], got ${describe(args)}`);
    }
    const values = new Map(Object.entries(variables).map(([name, value]) => [name, resolve(value, `${location}.${name}`)]));
    return text.replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
      // `${!Name}` is the escape for a literal `${Name}`.
      if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
      const name = expression.trim();
      const value = values.has(name) ? values.get(name) : name.includes('.') && !name.startsWith('AWS::') ? getAtt(splitOnce(name, '.'), location) : ref(name, location);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new IntrinsicError(location, `Fn::Sub variable \${${name}} is not a scalar: ${describe(value)}`);
      }
      return String(value);
    });
  };

  const join = (args: unknown, location: string): string => {
    const resolved = resolve(args, location);
    if (!Array.isArray(resolved) || resolved.length !== 2 || typeof resolved[0] !== 'string' || !Array.isArray(resolved[1])) {
      throw new IntrinsicError(location, `Fn::Join takes [delimiter, [values]], got ${describe(args)}`);
    }
    const [delimiter, parts] = resolved as [string, unknown[]];
    return parts.map((part) => scalar(part, 'Fn::Join', location)).join(delimiter);
  };

  const select = (args: unknown, location: string): unknown => {
    const resolved = resolve(args, location);
    if (!Array.isArray(resolved) || resolved.length !== 2 || !Array.isArray(resolved[1])) {
      throw new IntrinsicError(location, `Fn::Select takes [index, [values]], got ${describe(args)}`);
    }
    const [index, list] = resolved as [unknown, unknown[]];
    const position = typeof index === 'string' ? Number(index) : index;
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 0 || position >= list.length) {
      throw new IntrinsicError(location, `Fn::Select index ${describe(index)} is out of range for ${list.length} values`);
    }
    return list[position];
  };

  const split = (args: unknown, location: string): string[] => {
    const resolved = resolve(args, location);
    if (!Array.isArray(resolved) || resolved.length !== 2 || typeof resolved[0] !== 'string' || typeof resolved[1] !== 'string') {
      throw new IntrinsicError(location, `Fn::Split takes [delimiter, string], got ${describe(args)}`);
    }
    return resolved[1].split(resolved[0]);
  };

  const ifFunction = (args: unknown, location: string): unknown => {
    if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') {
      throw new IntrinsicError(location, `Fn::If takes [condition, valueIfTrue, valueIfFalse], got ${describe(args)}`);
    }
    // resolveAny, not resolve: a branch of `Ref: AWS::NoValue` must still remove the property.
    return condition(args[0], location) ? resolveAny(args[1], location) : resolveAny(args[2], location);
  };

  const conditionArguments = (fn: string, args: unknown, location: string): boolean[] => {
    if (!Array.isArray(args)) throw new IntrinsicError(location, `${fn} takes a list of conditions, got ${describe(args)}`);
    return args.map((arg, index) => evaluateCondition(arg, `${location}.${fn}[${index}]`));
  };

  const equals = (args: unknown, location: string): boolean => {
    const resolved = resolve(args, location);
    if (!Array.isArray(resolved) || resolved.length !== 2) throw new IntrinsicError(location, `Fn::Equals takes two values, got ${describe(args)}`);
    const [left, right] = resolved.map((item) => (typeof item === 'number' || typeof item === 'boolean' ? String(item) : item));
    return describe(left) === describe(right);
  };

  const findInMap = (args: unknown, location: string): unknown => {
    const resolved = resolve(args, location);
    if (!Array.isArray(resolved) || resolved.length !== 3 || !resolved.every((part) => typeof part === 'string')) {
      throw new IntrinsicError(location, `Fn::FindInMap takes [map, topKey, secondKey], got ${describe(args)}`);
    }
    const [map, top, second] = resolved as [string, string, string];
    const value = template.Mappings?.[map]?.[top]?.[second];
    if (value === undefined) throw new IntrinsicError(location, `no value in mapping ${map} for ${top}.${second}`);
    return value;
  };

  const scalar = (value: unknown, fn: string, location: string): string => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new IntrinsicError(location, `${fn} needs scalar values, got ${describe(value)}`);
  };

  const evaluate = (fn: string, args: unknown, location: string): unknown => {
    switch (fn) {
      case 'Ref':
        return ref(args, location);
      case 'Fn::GetAtt':
        return getAtt(args, location);
      case 'Fn::Sub':
        return sub(args, location);
      case 'Fn::Join':
        return join(args, location);
      case 'Fn::Select':
        return select(args, location);
      case 'Fn::Split':
        return split(args, location);
      case 'Fn::If':
        return ifFunction(args, location);
      case 'Fn::Equals':
        return equals(args, location);
      case 'Fn::And':
        return conditionArguments(fn, args, location).every(Boolean);
      case 'Fn::Or':
        return conditionArguments(fn, args, location).some(Boolean);
      case 'Fn::Not': {
        const [operand, ...rest] = conditionArguments(fn, args, location);
        if (operand === undefined || rest.length > 0) throw new IntrinsicError(location, 'Fn::Not takes exactly one condition');
        return !operand;
      }
      case 'Fn::FindInMap':
        return findInMap(args, location);
      case 'Fn::Base64':
        return Buffer.from(scalar(resolve(args, location), fn, location)).toString('base64');
      default:
        throw new IntrinsicError(location, `${fn} is not supported locally${UNSUPPORTED_FUNCTIONS[fn] ? `: ${UNSUPPORTED_FUNCTIONS[fn]}` : ''}`);
    }
  };

  const resolveAny = (value: unknown, location: string): unknown => {
    if (Array.isArray(value)) {
      return value.map((item, index) => resolveAny(item, `${location}[${index}]`)).filter((item) => item !== NO_VALUE);
    }
    if (!isRecord(value)) return value;
    const fn = intrinsicName(value);
    if (fn) return evaluate(fn, value[fn], location);
    const entries = Object.entries(value)
      .map(([key, item]) => [key, resolveAny(item, `${location}.${key}`)] as const)
      .filter(([, item]) => item !== NO_VALUE);
    return Object.fromEntries(entries);
  };

  const resolve = (value: unknown, location: string): unknown => {
    const resolved = resolveAny(value, location);
    return resolved === NO_VALUE ? undefined : resolved;
  };

  return { resolve, property, condition: (name) => condition(name), isDeployed };
};

const splitOnce = (text: string, separator: string): string[] => {
  const index = text.indexOf(separator);
  return index < 0 ? [text] : [text.slice(0, index), text.slice(index + 1)];
};
