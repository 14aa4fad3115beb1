import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { loadTemplate } from '#tools/context-map/generate';
import { collectCostRun } from '#tools/cost/collect';
import { COST_PAGE, COST_RUN_FILE, costRunJson, readCostRun, renderCostPage } from '#tools/cost/generate';
import { readTemplateFacts } from '#tools/cost/template-facts';
import { defineCommand, EXIT, noPositionals, parseWholeNumber, runIfInvoked, writeLine, type Options } from '#tools/lib/command-line';

/**
 * `npm run cost`: a seeded on-sale on the in-memory runtime, the counts of
 * what AWS would bill for it (docs/cost-run.json), and docs/cost.md, which
 * prices them per million purchases and sets the quotas against them.
 */

const DEFAULTS = { buyers: 300, seats: 250, concurrency: 50, seed: 1, timeoutSeconds: 600 } as const;

const USAGE = `Usage: npm run cost -- [--buyers N] [--seats S] [--concurrency C] [--seed N] [--render | --check] [--template <file>]

Runs a seeded on-sale on an in-memory local runtime, counts what AWS would
bill for it (state transitions, invocations and durations, DynamoDB units,
events, queue and API requests, log bytes) into docs/cost-run.json, and
writes docs/cost.md: dollars per 1M purchases on Step Functions Standard,
Express and Lambda durable functions, an EKS baseline and its break-even,
and the capacity of each stage under the default quotas.

  --buyers       buyers of the run (default ${DEFAULTS.buyers})
  --seats        seats on sale (default ${DEFAULTS.seats})
  --concurrency  requests in flight (default ${DEFAULTS.concurrency})
  --seed         seed of the buyers' choices (default ${DEFAULTS.seed})
  --render       no run: render docs/cost.md again from docs/cost-run.json
                 (after a change of the template or the prices)
  --check        no run, write nothing: exit 1 when docs/cost.md is stale
                 against docs/cost-run.json, the template and the prices
  --template     read this synthesized template (cdk.out/Ticketing.template.json)
                 instead of synthesizing the stack in process`;

const COST_OPTIONS = {
  buyers: { type: 'string' },
  seats: { type: 'string' },
  concurrency: { type: 'string' },
  seed: { type: 'string' },
  render: { type: 'boolean' },
  check: { type: 'boolean' },
  template: { type: 'string' },
} as const satisfies Options;

const shown = (file: string) => relative(process.cwd(), file) || file;

export const main = defineCommand({
  usage: USAGE,
  failure: 'with --check, the page is stale; else the run cannot finish or breaks an invariant',
  options: COST_OPTIONS,
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const number = (flag: 'buyers' | 'seats' | 'concurrency' | 'seed', fallback: number, max: number) => {
      const text = values[flag];
      return text === undefined ? fallback : parseWholeNumber(`--${flag}`, text, { max });
    };
    const buyers = number('buyers', DEFAULTS.buyers, 10_000);
    const seats = number('seats', DEFAULTS.seats, 10_000);
    const concurrency = number('concurrency', DEFAULTS.concurrency, 1_000);
    const seed = number('seed', DEFAULTS.seed, 999_999_999);
    const template = loadTemplate(values.template);

    if (values.check || values.render) {
      const page = renderCostPage(readCostRun(), template);
      const current = existsSync(COST_PAGE) ? readFileSync(COST_PAGE, 'utf8') : undefined;
      if (values.check) {
        if (current === page) {
          writeLine(io.stdout, `${shown(COST_PAGE)} is up to date`);
          return EXIT.ok;
        }
        writeLine(io.stderr, `${shown(COST_PAGE)} is stale: render it again with npm run cost -- --render (or a new run with npm run cost)`);
        return EXIT.failed;
      }
      writeFileSync(COST_PAGE, page);
      writeLine(io.stdout, `${current === page ? 'unchanged' : 'wrote'} ${shown(COST_PAGE)}`);
      return EXIT.ok;
    }

    const command = `npm run cost -- --buyers ${buyers} --seats ${seats} --concurrency ${concurrency} --seed ${seed}`;
    const run = await collectCostRun({
      command,
      buyers,
      seats,
      concurrency,
      seed,
      timeoutSeconds: DEFAULTS.timeoutSeconds,
      facts: readTemplateFacts(template),
      date: new Date(),
      log: (line) => writeLine(io.stderr, `[cost] ${line}`),
    });
    mkdirSync(dirname(COST_RUN_FILE), { recursive: true });
    writeFileSync(COST_RUN_FILE, costRunJson(run));
    writeFileSync(COST_PAGE, renderCostPage(run, template));
    writeLine(io.stdout, `wrote ${shown(COST_RUN_FILE)} and ${shown(COST_PAGE)} (${run.outcomes.accepted} purchases)`);
    return EXIT.ok;
  },
});

// The in-memory runtime's clients and child processes may keep the event loop alive: the exit code is the end.
runIfInvoked('cost', main, { exitProcess: true });
