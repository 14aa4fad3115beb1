import { z } from 'zod';
import { stateMachineArn } from '#local/arns';
import type { AslDefinition, LocalStateMachine } from './local-app.ts';
import { readProperties, requireServable, type PropertyPolicy, type ResourceView } from './resource-support.ts';
import { UnsupportedPropertyError } from './template-errors.ts';

/**
 * AWS::StepFunctions::StateMachine -> LocalStateMachine: the definition with
 * its DefinitionSubstitutions applied (as Step Functions applies them at
 * deploy time) and parsed into an ASL object.
 */

const MACHINE_POLICY: PropertyPolicy = {
  served: ['DefinitionString', 'Definition', 'DefinitionSubstitutions', 'StateMachineName', 'StateMachineType', 'LoggingConfiguration', 'TracingConfiguration'],
  ignored: {
    RoleArn: 'the local runtime does not enforce IAM',
    EncryptionConfiguration: 'local executions are not encrypted at rest',
    Tags: 'tags have no behaviour',
  },
  unsupported: {
    DefinitionS3Location: 'the definition must be in the template (DefinitionString or Definition)',
  },
};

const substitutionValue = z.union([z.string(), z.number(), z.boolean()]);

const machinePropertiesSchema = z.object({
  DefinitionString: z.string().min(1).optional(),
  Definition: z.record(z.string(), z.unknown()).optional(),
  DefinitionSubstitutions: z.record(z.string(), substitutionValue).optional(),
  StateMachineName: z.string().min(1).optional(),
  StateMachineType: z.enum(['STANDARD', 'EXPRESS']).optional(),
  LoggingConfiguration: z
    .looseObject({ Level: z.enum(['ALL', 'ERROR', 'FATAL', 'OFF']).optional(), IncludeExecutionData: z.boolean().optional() })
    .optional(),
  TracingConfiguration: z.object({ Enabled: z.boolean().optional() }).optional(),
});

const aslSchema = z.looseObject({
  StartAt: z.string().min(1),
  States: z.record(z.string(), z.looseObject({ Type: z.string() })),
});

const PLACEHOLDER = /\$\{([A-Za-z0-9_.:-]+)\}/g;

/** Replaces `${Name}` placeholders the way Step Functions does, in the definition's JSON text. */
const substitute = (resource: ResourceView, text: string, substitutions: Readonly<Record<string, string | number | boolean>>): string =>
  text.replace(PLACEHOLDER, (placeholder, name: string) => {
    if (!Object.hasOwn(substitutions, name)) {
      throw new UnsupportedPropertyError(resource.logicalId, resource.type, 'DefinitionSubstitutions', `the definition uses ${placeholder} but no substitution defines it`);
    }
    const value = substitutions[name];
    // Placeholders sit inside JSON strings: escape the value as JSON string content.
    return typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : String(value);
  });

type StateNode = { readonly QueryLanguage?: unknown; readonly States?: unknown; readonly Branches?: unknown; readonly ItemProcessor?: unknown; readonly Iterator?: unknown };

/** The local engine runs JSONPath only; a JSONata machine or state would run wrongly, so it is an error. */
const findNonJsonPath = (node: StateNode, path: string): string | undefined => {
  if (node.QueryLanguage !== undefined && node.QueryLanguage !== 'JSONPath') return `${path} uses QueryLanguage ${String(node.QueryLanguage)}`;
  const children: Array<[StateNode, string]> = [];
  if (isRecord(node.States)) for (const [name, state] of Object.entries(node.States)) if (isRecord(state)) children.push([state, `${path}.States.${name}`]);
  if (Array.isArray(node.Branches)) node.Branches.forEach((branch, index) => isRecord(branch) && children.push([branch, `${path}.Branches[${index}]`]));
  if (isRecord(node.ItemProcessor)) children.push([node.ItemProcessor, `${path}.ItemProcessor`]);
  if (isRecord(node.Iterator)) children.push([node.Iterator, `${path}.Iterator`]);
  for (const [child, childPath] of children) {
    const found = findNonJsonPath(child, childPath);
    if (found) return found;
  }
  return undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const parseDefinition = (resource: ResourceView, text: string): AslDefinition => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UnsupportedPropertyError(resource.logicalId, resource.type, 'DefinitionString', `is not valid JSON (${(error as Error).message})`);
  }
  const parsed = aslSchema.safeParse(json);
  if (!parsed.success) {
    throw new UnsupportedPropertyError(resource.logicalId, resource.type, 'DefinitionString', `is not an ASL document: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data;
};

export const STATE_MACHINE_TYPES = ['AWS::StepFunctions::StateMachine'] as const;

export const mapStateMachine = (resource: ResourceView): LocalStateMachine => {
  const properties = readProperties(resource, MACHINE_POLICY, machinePropertiesSchema);
  const source = properties.DefinitionString ?? (properties.Definition ? JSON.stringify(properties.Definition) : undefined);
  requireServable(resource, 'DefinitionString', source !== undefined, 'the state machine has no definition in the template');
  const definition = parseDefinition(resource, substitute(resource, source ?? '', properties.DefinitionSubstitutions ?? {}));
  const nonJsonPath = findNonJsonPath(definition, 'definition');
  requireServable(resource, 'QueryLanguage', nonJsonPath === undefined, `the local engine runs JSONPath only; ${nonJsonPath}`);
  const name = properties.StateMachineName ?? resource.logicalId;
  const logging = properties.LoggingConfiguration;
  return {
    logicalId: resource.logicalId,
    name,
    arn: stateMachineArn(name),
    type: properties.StateMachineType ?? 'STANDARD',
    definition,
    logging: { level: logging?.Level ?? 'OFF', includeExecutionData: logging?.IncludeExecutionData ?? false },
    tracingEnabled: properties.TracingConfiguration?.Enabled ?? false,
  };
};
