import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { packageWeights, type PackageWeight } from './bundle-contents.ts';

/**
 * What each function's bundle costs before its first invocation: its size and
 * the time a fresh `node` process takes to load it, against a bare `node -e 0`
 * on the same binary. The functions come from the synthesized template
 * (cdk.out), each loaded with its own template environment, NODE_OPTIONS
 * included: were a function to set `--enable-source-maps`, Node would read its
 * source map (index.js.map, a separate file not counted in `bytes`) while
 * loading the bundle, and `importMs` would include that cost.
 */

export interface BundleFigure {
  readonly functionName: string;
  /** Size of the bundle Lambda loads (index.js), source map excluded. */
  readonly bytes: number;
  /** Median wall time of a fresh node process that requires the bundle and exits. */
  readonly importMs: number;
  /** Median wall time of `node -e 0`, measured between the same runs. */
  readonly bareNodeMs: number;
  /** importMs / bareNodeMs. */
  readonly ratio: number;
  /** Its heaviest packages, from the bundle's source map. */
  readonly heaviest: readonly PackageWeight[];
}

export interface MeasureBundlesOptions {
  readonly runs: number;
  readonly onProgress?: (line: string) => void;
}

const PROJECT_ROOT = resolve(__dirname, '..', '..');
const CDK_OUT = join(PROJECT_ROOT, 'cdk.out');
const TEMPLATE_FILE = join(CDK_OUT, 'Ticketing.template.json');
/** How many of a bundle's packages the report names: enough to see where the bytes are. */
const HEAVIEST_SHOWN = 6;
/** A load that takes this long is broken, not slow. */
const LOAD_TIMEOUT_MS = 30_000;

export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** How many times the bare start the load takes, to two decimals. */
export const ratioOf = (importMs: number, bareNodeMs: number): number => Math.round((importMs / bareNodeMs) * 100) / 100;

const variableValueSchema = z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown())]);

/**
 * A template variable as a string. Intrinsics (Ref, Fn::GetAtt, Fn::Join...)
 * resolve only at deploy time; a readable placeholder naming what they refer
 * to is enough, since no handler calls AWS while it loads.
 */
export const resolveVariable = (value: z.infer<typeof variableValueSchema>): string => {
  if (typeof value !== 'object') return String(value);
  const ref = value.Ref;
  if (typeof ref === 'string') return `placeholder-${ref}`;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `placeholder-${getAtt.join('.')}`;
  return `placeholder-${Object.keys(value).join('-')}`;
};

export const resolveEnvironment = (variables: Readonly<Record<string, z.infer<typeof variableValueSchema>>>): Record<string, string> =>
  Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolveVariable(value)]));

/** What Lambda itself sets in every function's environment and the code may read while loading (Powertools does). */
const lambdaReservedEnvironment = (functionName: string, runtime: string, memoryMb: number): Record<string, string> => ({
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: functionName,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
  // Active tracing: Lambda points the X-Ray SDK at its daemon.
  AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
});

const functionResourceSchema = z.object({
  Type: z.literal('AWS::Lambda::Function'),
  Metadata: z.looseObject({ 'aws:asset:path': z.string().min(1) }),
  Properties: z.looseObject({
    Handler: z.string().regex(/^[^.]+\.[^.]+$/),
    Runtime: z.string().min(1),
    MemorySize: z.number().int().positive().optional(),
    Environment: z.object({ Variables: z.record(z.string(), variableValueSchema).optional() }).optional(),
  }),
});

const templateSchema = z.object({ Resources: z.record(z.string(), z.looseObject({ Type: z.string() })) });

export interface BundledFunction {
  /** The Powertools service name (the handler's file name), else the logical id. */
  readonly functionName: string;
  /** Absolute path of the module Lambda loads, e.g. cdk.out/asset.<hash>/index.js. */
  readonly bundleFile: string;
  /** The environment the function starts with: its template variables and Lambda's own. */
  readonly environment: Readonly<Record<string, string>>;
}

const DEFAULT_MEMORY_MB = 128;

/** The template's functions with their bundles, ordered by name so runs compare line by line. */
export const bundledFunctionsOf = (template: unknown, cdkOutDir: string): BundledFunction[] =>
  Object.entries(templateSchema.parse(template).Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      const fn = functionResourceSchema.parse(resource);
      const variables = resolveEnvironment(fn.Properties.Environment?.Variables ?? {});
      const functionName = variables.POWERTOOLS_SERVICE_NAME ?? logicalId;
      const moduleName = fn.Properties.Handler.split('.')[0] as string;
      return {
        functionName,
        bundleFile: join(cdkOutDir, fn.Metadata['aws:asset:path'], `${moduleName}.js`),
        environment: { ...variables, ...lambdaReservedEnvironment(functionName, fn.Properties.Runtime, fn.Properties.MemorySize ?? DEFAULT_MEMORY_MB) },
      };
    })
    .sort((a, b) => a.functionName.localeCompare(b.functionName));

/** The process's search path, nothing else of the caller's environment (its NODE_OPTIONS above all). */
const basicEnvironment = (): Record<string, string> => (process.env.PATH ? { PATH: process.env.PATH } : {});

/** Wall time of one `node` process, in ms; throws when it fails. */
const timeNode = (args: readonly string[], environment: Readonly<Record<string, string>>): number => {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env: { ...basicEnvironment(), ...environment }, stdio: ['ignore', 'ignore', 'pipe'], timeout: LOAD_TIMEOUT_MS });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr?.toString().trim()}`);
  return elapsed;
};

/** Loads the bundle as Lambda's runtime does (require) and fails unless it exports the handler. */
const loadScript = (bundleFile: string): string => `if (typeof require(${JSON.stringify(bundleFile)}).handler !== 'function') process.exit(3)`;

const measureOne = (fn: BundledFunction, runs: number): BundleFigure => {
  const loads: number[] = [];
  const bares: number[] = [];
  // Alternating the two keeps a busy moment of the machine from landing on one side only.
  for (let run = 0; run < runs; run++) {
    bares.push(timeNode(['-e', '0'], {}));
    loads.push(timeNode(['-e', loadScript(fn.bundleFile)], fn.environment));
  }
  const importMs = median(loads);
  const bareNodeMs = median(bares);
  return {
    functionName: fn.functionName,
    bytes: statSync(fn.bundleFile).size,
    importMs,
    bareNodeMs,
    ratio: ratioOf(importMs, bareNodeMs),
    heaviest: packageWeights(fn.bundleFile).slice(0, HEAVIEST_SHOWN),
  };
};

/** Every function of the synthesized template (run `npx cdk synth --quiet` first), measured one after the other. */
export const measureBundles = async (options: MeasureBundlesOptions): Promise<readonly BundleFigure[]> => {
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new RangeError(`runs must be a whole number of at least 1, not ${options.runs}`);
  const functions = bundledFunctionsOf(JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8')), CDK_OUT);
  const figures: BundleFigure[] = [];
  for (const fn of functions) {
    const figure = measureOne(fn, options.runs);
    figures.push(figure);
    options.onProgress?.(`${figure.functionName}: ${formatKib(figure.bytes)}, ${formatMs(figure.importMs)} (${figure.ratio}x node -e 0)`);
    // Let the caller's progress output flush between the blocking runs.
    await new Promise((resolveTick) => setImmediate(resolveTick));
  }
  return figures;
};

const formatKib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
const formatMs = (ms: number): string => `${ms.toFixed(0)} ms`;
