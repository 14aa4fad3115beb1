import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineCommand, EXIT, noPositionals, runIfInvoked, writeLine } from '#tools/lib/command-line';
import { renderOpenApi } from '#tools/openapi/render';

const USAGE = `Usage: npm run openapi -- [--check]

Writes docs/openapi.json: the OpenAPI 3.1 description of the buyer API (every
route of the HTTP API, its parameters, body and answers), from the request
schemas the handlers validate with and the answer schemas the end-to-end tests
hold the API to (tools/openapi/contract.ts).

  --check    write nothing; exit 1 when the document is stale`;

export const OPENAPI_DOCUMENT = join(__dirname, '..', 'docs', 'openapi.json');

const API_INFO = {
  title: 'Ticket sales buyer API',
  version: '1.0.0',
  description:
    'Buyers ask for seats (POST /purchases), which queues a purchase saga, then poll the purchase until CONFIRMED or FAILED. Every route needs a bearer JWT whose subject is the buyer.',
};

export const main = defineCommand({
  usage: USAGE,
  failure: 'with --check, the document is stale',
  options: { check: { type: 'boolean' } },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const shown = relative(process.cwd(), OPENAPI_DOCUMENT) || OPENAPI_DOCUMENT;
    const document = renderOpenApi(API_INFO);
    const current = existsSync(OPENAPI_DOCUMENT) ? readFileSync(OPENAPI_DOCUMENT, 'utf8') : undefined;
    if (values.check) {
      if (current === document) {
        writeLine(io.stdout, `${shown} is up to date`);
        return EXIT.ok;
      }
      writeLine(io.stderr, `${shown} is stale: regenerate it with npm run openapi`);
      return EXIT.failed;
    }
    writeFileSync(OPENAPI_DOCUMENT, document);
    writeLine(io.stdout, `${current === document ? 'unchanged' : 'wrote'} ${shown}`);
    return EXIT.ok;
  },
});

runIfInvoked('openapi', main);
