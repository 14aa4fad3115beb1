import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startLocalRuntime, type LocalRuntimeOptions } from '#local/index';
import { chaosSettingsSchema, startChaosRuntime } from '#tools/chaos/chaos-settings';
import { seedDemoConcert } from '#tools/demo-seed';
import { READY_LINE_PREFIX } from './runtime-process.ts';

/**
 * The local runtime in a process of its own, on the ports and data dir its
 * parent chose, so the parent (a test, `npm run chaos`) can kill it as a
 * crash would (SIGKILL: no exit hook runs) and start it again over the same
 * data. Prints one ready line with the runtime file's content on stdout;
 * progress goes to stderr. SIGTERM or SIGINT stop it cleanly. `--no-demo`
 * skips the 500-seat demo concert, for a caller that seeds one of its own;
 * `--chaos FILE` applies the chaos settings in FILE.
 */

const portsSchema = z
  .object({
    api: z.number().int().positive(),
    auth: z.number().int().positive(),
    dynamodb: z.number().int().positive(),
    sqs: z.number().int().positive(),
    stepfunctions: z.number().int().positive(),
    eventbridge: z.number().int().positive(),
  })
  .partial();

const argsSchema = z.object({
  'data-dir': z.string().min(1).optional(),
  'in-memory': z.boolean(),
  'no-demo': z.boolean(),
  ports: z
    .string()
    .default('{}')
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(portsSchema),
  'retry-delay-scale': z.coerce.number().positive().optional(),
  chaos: z.string().min(1).optional(),
});

const main = async () => {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
      ports: { type: 'string' },
      'retry-delay-scale': { type: 'string' },
      chaos: { type: 'string' },
    },
    strict: true,
  });
  const args = argsSchema.parse(values);
  const startedAt = Date.now();
  const options: LocalRuntimeOptions = {
    inMemory: args['in-memory'],
    ...(args['data-dir'] !== undefined && { dataDir: args['data-dir'] }),
    ports: args.ports,
    ...(!args['no-demo'] && { seed: seedDemoConcert }),
    ...(args['retry-delay-scale'] !== undefined && { retryDelayScale: args['retry-delay-scale'] }),
    log: (line) => process.stderr.write(`[runtime +${((Date.now() - startedAt) / 1_000).toFixed(1)} s] ${line}\n`),
  };
  const chaos = args.chaos === undefined ? undefined : chaosSettingsSchema.parse(JSON.parse(readFileSync(args.chaos, 'utf8')));
  const runtime = chaos ? (await startChaosRuntime(options, chaos)).runtime : await startLocalRuntime(options);
  process.stdout.write(`${READY_LINE_PREFIX}${JSON.stringify(runtime.info)}\n`);
  const stop = () => {
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`runtime stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(`runtime failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  process.exit(1);
});
