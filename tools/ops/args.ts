import { parseArgs, type ParseArgsConfig } from 'node:util';
import { purchaseIdSchema } from '#events/metadata';
import { UsageError } from './errors.ts';
import { LOCAL_RUNTIME_FILE, loadAwsConfig, loadLocalConfig, type OpsConfig } from './config.ts';
import { TIME_EXPRESSION_HELP, parseDuration, parseTimeExpression } from './times.ts';

export { UsageError };

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Options every operator command accepts. */
export const TARGET_OPTIONS = {
  target: { type: 'string' },
  outputs: { type: 'string' },
  'runtime-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

export const TARGET_USAGE = `Target (default: the local runtime):
  --target local|aws     local: the runtime of \`npm start\`, found through ${LOCAL_RUNTIME_FILE}
  --runtime-file <file>  another local runtime file than ${LOCAL_RUNTIME_FILE}
  --outputs <file>       with --target aws: the file of \`npx cdk deploy --outputs-file <file>\`;
                         credentials come from the standard AWS chain, the region from the stack's ARNs
  -h, --help             this help`;

/** node:util parseArgs in strict mode, with its errors turned into usage errors. */
export const parseCommandLine = <T extends OptionsConfig>(argv: readonly string[], options: T) => {
  try {
    return parseArgs({ args: [...argv], options: { ...TARGET_OPTIONS, ...options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
};

export type TargetChoice = { readonly kind: 'local'; readonly runtimeFile: string } | { readonly kind: 'aws'; readonly outputsFile: string };

/** Checks the target flags without reading anything, so bad flags fail before any side effect. */
export const chooseTarget = (values: { target?: string | undefined; outputs?: string | undefined; 'runtime-file'?: string | undefined }): TargetChoice => {
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

export const expectPositionals = (positionals: readonly string[], names: readonly string[]): string[] => {
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).map((n) => `<${n}>`).join(' ')}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument "${positionals[names.length]}"`);
  return [...positionals];
};

export const noPositionals = (positionals: readonly string[]): void => {
  expectPositionals(positionals, []);
};

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

export const parsePositiveIntOption = (flag: string, text: string, max: number): number => {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max}, not "${text}"`);
  return Number(text);
};

export const parseChoiceOption = <T extends string>(flag: string, text: string, choices: readonly T[]): T => {
  const choice = choices.find((c) => c === text);
  if (!choice) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, not "${text}"`);
  return choice;
};
