import { purchaseIdSchema } from '#events/metadata';
import { defineCommand, UsageError, type CommandDefinition, type Main, type Options } from '#tools/lib/command-line';
import { LOCAL_RUNTIME_FILE, LOCAL_RUNTIME_NOT_RUNNING, loadAwsConfig, loadLocalConfig, OpsConfigError, type OpsConfig } from './config.ts';
import { parseDuration, parseTimeExpression, TIME_EXPRESSION_HELP } from './times.ts';

/**
 * What the operator commands (inspect, executions, replay, redrive, dlq,
 * console) share on top of the command-line kit: the target flags, the
 * values they take (purchase ids, times, durations), and the errors of a
 * target that cannot be read or reached.
 */

const TARGET_OPTIONS = {
  target: { type: 'string' },
  outputs: { type: 'string' },
  'runtime-file': { type: 'string' },
} as const satisfies Options;

const TARGET_USAGE = `Target (default: the local runtime):
  --target local|aws     local: the runtime of \`npm start\`, found through ${LOCAL_RUNTIME_FILE}
  --runtime-file <file>  another local runtime file than ${LOCAL_RUNTIME_FILE}
  --outputs <file>       with --target aws: the file of \`npx cdk deploy --outputs-file <file>\`;
                         credentials come from the standard AWS chain, the region from the stack's ARNs`;

export type TargetChoice = { readonly kind: 'local'; readonly runtimeFile: string } | { readonly kind: 'aws'; readonly outputsFile: string };

type TargetFlags = { target?: string | undefined; outputs?: string | undefined; 'runtime-file'?: string | undefined };

/** Checks the target flags without reading anything, so bad flags fail before any side effect. */
export const chooseTarget = (values: TargetFlags): TargetChoice => {
  const target = values.target ?? 'local';
  if (target === 'aws') {
    if (!values.outputs) throw new UsageError('--target aws needs --outputs <file> (written by npx cdk deploy --outputs-file <file>)');
    if (values['runtime-file']) throw new UsageError('--runtime-file is for --target local');
    return { kind: 'aws', outputsFile: values.outputs };
  }
  if (target !== 'local') throw new UsageError(`--target must be local or aws, not "${target}"`);
  if (values.outputs) throw new UsageError('--outputs is for --target aws');
  return { kind: 'local', runtimeFile: values['runtime-file'] ?? LOCAL_RUNTIME_FILE };
};

export const loadTarget = (choice: TargetChoice): OpsConfig =>
  choice.kind === 'aws' ? loadAwsConfig(choice.outputsFile) : loadLocalConfig(choice.runtimeFile);

const errorCode = (error: unknown): unknown => {
  if (!(error instanceof Error)) return undefined;
  if ('code' in error && error.code) return error.code;
  return error.cause instanceof Error && 'code' in error.cause ? error.cause.code : undefined;
};

/**
 * A configuration the user fixes, or a refused connection: to a local
 * endpoint, that almost always means the runtime stopped after writing its
 * runtime file.
 */
const explainTargetError = (error: unknown): string | undefined => {
  if (error instanceof OpsConfigError) return error.message;
  if (errorCode(error) === 'ECONNREFUSED' && error instanceof Error) {
    return `${error.message}: ${LOCAL_RUNTIME_NOT_RUNNING} (or point --target at a deployed stack)`;
  }
  return undefined;
};

type TargetOptions = typeof TARGET_OPTIONS;

export interface OperatorCommandDefinition<T extends Options> extends Omit<CommandDefinition<T & TargetOptions>, 'options'> {
  /** The command's own flags; the target flags are added. */
  readonly options: T;
}

/** A command of the kit with the target flags and their usage, and the target's errors explained. */
export const defineOperatorCommand = <T extends Options>(definition: OperatorCommandDefinition<T>): Main =>
  defineCommand<T & TargetOptions>({
    ...definition,
    options: { ...definition.options, ...TARGET_OPTIONS },
    usage: `${definition.usage}\n\n${TARGET_USAGE}`,
    explain: (error) => definition.explain?.(error) ?? explainTargetError(error),
  });

export const parsePurchaseId = (text: string): string => {
  const parsed = purchaseIdSchema.safeParse(text);
  if (!parsed.success) throw new UsageError(`"${text}" is not a purchase id (8-64 letters, digits or dashes)`);
  return parsed.data;
};

export const parseTimeOption = (flag: string, text: string, now: Date): Date => {
  const time = parseTimeExpression(text, now);
  if (!time) throw new UsageError(`${flag}: "${text}" is not a time; use ${TIME_EXPRESSION_HELP}`);
  return time;
};

export const parseDurationOption = (flag: string, text: string): number => {
  const ms = parseDuration(text);
  if (ms === undefined || ms === 0) throw new UsageError(`${flag}: "${text}" is not a duration like 90s, 30m, 1h or 2d`);
  return ms;
};
