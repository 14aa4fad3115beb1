import type { EventEnvelope } from './envelope.ts';
import { JsonPathSyntaxError, parseJsonPath, readJsonPath, type JsonPath } from './json-path.ts';
import type { EventBridgeTarget } from './model.ts';

/** What a rule knows when it renders a target's input. */
export interface DeliveryContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  /** When the bus received the event (ms), for `<aws.events.event.ingestion-time>`. */
  readonly ingestedAt: number;
}

/** Renders the text a target receives for one event. */
export type TargetInputRenderer = (event: EventEnvelope, context: DeliveryContext) => string;

export class TargetInputError extends Error {
  override readonly name = 'TargetInputError';
}

/** Variables EventBridge predefines for input templates; InputPathsMap cannot redefine them. */
const RESERVED_PREFIX = 'aws.events';
const reservedVariable = (name: string, event: EventEnvelope, context: DeliveryContext): unknown => {
  switch (name) {
    case 'aws.events.rule-arn':
      return context.ruleArn;
    case 'aws.events.rule-name':
      return context.ruleName;
    case 'aws.events.event.ingestion-time':
      return new Date(context.ingestedAt).toISOString();
    case 'aws.events.event':
    case 'aws.events.event.json':
      return event;
    default:
      return undefined;
  }
};

const PLACEHOLDER = /^<([A-Za-z0-9_.-]+)>/;

/**
 * Substitutes `<name>` placeholders. Inside a JSON string literal a value is
 * inserted as text (strings as-is, anything else as its JSON, escaped for the
 * literal); outside, as JSON. A path that is missing gives null outside a
 * string and nothing inside one.
 */
const renderTemplate = (template: string, lookup: (name: string) => { known: boolean; value: unknown }): string => {
  let output = '';
  let insideString = false;
  for (let index = 0; index < template.length; index++) {
    const char = template[index] ?? '';
    if (char === '\\' && insideString) {
      output += char + (template[index + 1] ?? '');
      index++;
      continue;
    }
    if (char === '"') insideString = !insideString;
    const placeholder = char === '<' ? PLACEHOLDER.exec(template.slice(index)) : null;
    const variable = placeholder ? lookup(placeholder[1] ?? '') : undefined;
    if (!placeholder || !variable?.known) {
      output += char;
      continue;
    }
    const { value } = variable;
    if (insideString) {
      const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
      output += JSON.stringify(text).slice(1, -1);
    } else {
      output += value === undefined ? 'null' : JSON.stringify(value);
    }
    index += placeholder[0].length - 1;
  }
  return output;
};

const compilePath = (where: string, path: string): JsonPath => {
  try {
    return parseJsonPath(path);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) throw new TargetInputError(`${where}: ${error.message}`);
    throw error;
  }
};

/**
 * Compiles a target's Input, InputPath or InputTransformer once, at startup,
 * so a malformed path is a startup error rather than a failed delivery.
 */
export const compileTargetInput = (target: Pick<EventBridgeTarget, 'input' | 'inputPath' | 'inputTransformer'>): TargetInputRenderer => {
  if ([target.input, target.inputPath, target.inputTransformer].filter((given) => given !== undefined).length > 1) {
    throw new TargetInputError('a target takes at most one of Input, InputPath and InputTransformer');
  }
  if (target.input !== undefined) {
    const constant = target.input;
    return () => constant;
  }
  if (target.inputPath !== undefined) {
    const path = compilePath('InputPath', target.inputPath);
    return (event) => JSON.stringify(readJsonPath(event, path) ?? null);
  }
  if (target.inputTransformer !== undefined) {
    const { inputTemplate: template, inputPathsMap: pathsMap } = target.inputTransformer;
    const paths = new Map<string, JsonPath>();
    for (const [name, path] of Object.entries(pathsMap)) {
      if (name.startsWith(RESERVED_PREFIX)) throw new TargetInputError(`InputPathsMap: "${name}" is a reserved variable name`);
      paths.set(name, compilePath(`InputPathsMap.${name}`, path));
    }
    return (event, context) =>
      renderTemplate(template, (name) => {
        const path = paths.get(name);
        if (path) return { known: true, value: readJsonPath(event, path) };
        const value = reservedVariable(name, event, context);
        return { known: value !== undefined, value };
      });
  }
  return (event) => JSON.stringify(event);
};
