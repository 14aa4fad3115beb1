import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { CONTEXT_MAP_PAGE, generateContextMap, REPOSITORY_ROOT } from '#tools/context-map/generate';
import { defineCommand, EXIT, noPositionals, runIfInvoked, writeLine } from '#tools/lib/command-line';

const USAGE = `Usage: npm run context-map -- [--check] [--template <file>]

Writes docs/context-map.md: the bounded contexts (Orders, Inventory, Billing,
Invoicing) with their handlers, the events each handler publishes (read from
the code) and consumes (the EventBridge rules of the template), the rules and
the state machine's steps, as a Mermaid diagram and tables.

  --check                write nothing; exit 1 when the page is stale
  --template <file>      read this synthesized template (cdk.out/Ticketing.template.json)
                         instead of synthesizing the stack in process`;

const pagePath = () => relative(process.cwd(), CONTEXT_MAP_PAGE) || CONTEXT_MAP_PAGE;

export const main = defineCommand({
  usage: USAGE,
  failure: 'with --check, the page is stale',
  options: { check: { type: 'boolean' }, template: { type: 'string' } },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);

    const { model, markdown } = generateContextMap({ ...(values.template ? { templateFile: values.template } : {}), root: REPOSITORY_ROOT });
    const current = existsSync(CONTEXT_MAP_PAGE) ? readFileSync(CONTEXT_MAP_PAGE, 'utf8') : undefined;
    if (values.check) {
      if (current === markdown) {
        writeLine(io.stdout, `${pagePath()} is up to date`);
        return EXIT.ok;
      }
      writeLine(io.stderr, `${pagePath()} is stale: regenerate it with npm run context-map`);
      return EXIT.failed;
    }
    mkdirSync(dirname(CONTEXT_MAP_PAGE), { recursive: true });
    writeFileSync(CONTEXT_MAP_PAGE, markdown);
    const summary = `${model.handlers.length} handlers, ${model.events.length} events, ${model.rules.length} rules, ${model.steps.length} steps`;
    writeLine(io.stdout, `${current === markdown ? 'unchanged' : 'wrote'} ${pagePath()} (${summary})`);
    return EXIT.ok;
  },
});

runIfInvoked('context-map', main);
