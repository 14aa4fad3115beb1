import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { isProcessAlive, localRuntimeFileSchema, stackOutputsSchema, type LocalEndpoints, type LocalRuntimeFile, type StackOutputs } from '#local/index';

/**
 * Where the operator tools find the system they operate on. The same SDK code
 * runs against the local runtime (`npm start`) and against a deployed stack;
 * only the endpoints and the stack outputs differ, and both come from here.
 */

/** The local runtime owns the shape of its runtime file and of the stack outputs in it (local/runtime-file.ts); a deployed stack's outputs have the same shape. */
export type {  LocalRuntimeFile, StackOutputs };

/** Written by the running local runtime, relative to the repository root. */
export const LOCAL_RUNTIME_FILE = '.local/runtime.json';

export const STACK_OUTPUT_NAMES = stackOutputsSchema.keyof().options;

/** arn:aws:events:<region>:<account>:event-bus/<bus> -> ...:archive/<archive>: an archive lives beside its bus. */
export const archiveArnOf = (outputs: StackOutputs): string =>
  outputs.ArchiveArn ?? outputs.EventBusArn.replace(/:event-bus\/.+$/, `:archive/${outputs.ArchiveName}`);

/**
 * For the local runtime: validates and writes its runtime file atomically
 * (write aside, then rename), so a tool never reads half a file.
 */
export const writeLocalRuntimeFile = (file: string, runtime: LocalRuntimeFile): void => {
  const valid = localRuntimeFileSchema.parse(runtime);
  mkdirSync(dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, `${JSON.stringify(valid, null, 2)}\n`);
  renameSync(aside, file);
};

/** What `cdk deploy --outputs-file` writes: stack name -> output id -> value. */
const cdkOutputsFileSchema = z.record(z.string(), z.record(z.string(), z.string()));

export type OpsConfig =
  | { readonly target: 'local'; readonly region: string; readonly endpoints: LocalEndpoints; readonly outputs: StackOutputs; readonly archiveFile?: string }
  | { readonly target: 'aws'; readonly region: string; readonly stackName: string; readonly outputs: StackOutputs };

/** A configuration problem the user fixes (start the runtime, pass another file); never a usage error. */
export class OpsConfigError extends Error {
  override readonly name = 'OpsConfigError';
}

export const LOCAL_RUNTIME_NOT_RUNNING = 'the local runtime is not running: start it with npm start';

const readJson = (file: string, what: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OpsConfigError(`cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
};

const describeIssues = (error: z.ZodError) => z.prettifyError(error).replaceAll('\n', '\n  ');

/** The region part of an ARN: the stack's resources live there, whatever the shell's default region is. */
const regionOfArn = (arn: string): string | undefined => arn.split(':')[3] || undefined;

export const loadLocalConfig = (runtimeFile: string, processAlive: (pid: number) => boolean = isProcessAlive): OpsConfig => {
  if (!existsSync(runtimeFile)) throw new OpsConfigError(`${LOCAL_RUNTIME_NOT_RUNNING} (no ${runtimeFile})`);
  const parsed = localRuntimeFileSchema.safeParse(readJson(runtimeFile, 'the local runtime file'));
  if (!parsed.success) {
    throw new OpsConfigError(`the local runtime file ${runtimeFile} is not valid:\n  ${describeIssues(parsed.error)}`);
  }
  const runtime = parsed.data;
  if (runtime.pid !== undefined && !processAlive(runtime.pid)) {
    throw new OpsConfigError(`${LOCAL_RUNTIME_NOT_RUNNING} (${runtimeFile} names process ${runtime.pid}, which has exited)`);
  }
  return localConfigOf(runtime, dirname(runtimeFile));
};

/**
 * The configuration of a local runtime from the content of its runtime file,
 * for a caller that holds it in memory (the runtime itself, to serve the web
 * console). A relative archive path resolves against `baseDir`.
 */
export const localConfigOf = (runtime: LocalRuntimeFile, baseDir: string): OpsConfig => {
  const archiveFile = runtime.archiveFile && (isAbsolute(runtime.archiveFile) ? runtime.archiveFile : resolve(baseDir, runtime.archiveFile));
  return {
    target: 'local',
    region: regionOfArn(runtime.outputs.StateMachineArn) ?? 'us-east-1',
    endpoints: runtime.endpoints,
    outputs: runtime.outputs,
    ...(archiveFile ? { archiveFile } : {}),
  };
};

export interface DeployedStack {
  readonly stackName: string;
  /** The outputs every operator tool needs, checked. */
  readonly outputs: StackOutputs;
  /** Every output of the stack as written, for a tool that needs one more (the user pool, the API URL). */
  readonly allOutputs: Readonly<Record<string, string>>;
}

/**
 * Reads the file of `cdk deploy --outputs-file`. It may hold several stacks:
 * the one whose outputs carry every name the tools need is the one to use.
 */
export const loadDeployedStack = (outputsFile: string): DeployedStack => {
  if (!existsSync(outputsFile)) throw new OpsConfigError(`no outputs file ${outputsFile}: write it with npx cdk deploy Ticketing --outputs-file ${outputsFile}`);
  const file = cdkOutputsFileSchema.safeParse(readJson(outputsFile, 'the outputs file'));
  if (!file.success) throw new OpsConfigError(`${outputsFile} is not a cdk outputs file:\n  ${describeIssues(file.error)}`);
  const stacks = Object.entries(file.data).flatMap(([stackName, allOutputs]) => {
    const parsed = stackOutputsSchema.safeParse(allOutputs);
    return parsed.success ? [{ stackName, outputs: parsed.data, allOutputs }] : [];
  });
  const [stack, ...others] = stacks;
  if (!stack) {
    const missing = Object.entries(file.data).map(([stackName, outputs]) => {
      const absent = STACK_OUTPUT_NAMES.filter((name) => name !== 'ArchiveArn' && !(name in outputs));
      return `${stackName} lacks ${absent.join(', ') || 'valid values'}`;
    });
    throw new OpsConfigError(`no stack in ${outputsFile} has the outputs the tools need (${missing.join('; ') || 'the file is empty'})`);
  }
  if (others.length > 0) {
    throw new OpsConfigError(`${outputsFile} holds several ticketing stacks (${stacks.map((s) => s.stackName).join(', ')}): keep one`);
  }
  return stack;
};

/** The operator tools' configuration of a deployed stack: its outputs and the region its ARNs name. */
export const loadAwsConfig = (outputsFile: string): OpsConfig => {
  const stack = loadDeployedStack(outputsFile);
  const region = regionOfArn(stack.outputs.StateMachineArn);
  if (!region) throw new OpsConfigError(`cannot tell the region from StateMachineArn ${stack.outputs.StateMachineArn}`);
  return { target: 'aws', region, stackName: stack.stackName, outputs: stack.outputs };
};
