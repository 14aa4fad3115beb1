import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { STACK_OUTPUTS } from '#infra/outputs';
import { startBuyerPage } from '#tools/buyer-page/buyer-page-server';
import { startConsole } from '#tools/console/console-server';
import { chaosSettingsSchema, startLocalRuntime, UnknownFaultTargetError, type ChaosSettings, type LocalRuntime } from '#local/index';
import { DEMO_CONCERT, DEMO_ONSALE_CONCERT, seedDemoConcerts } from '#tools/demo-seed';
import { localConfigOf } from '#tools/ops/config';

/** `npm start`: the whole system on localhost, until Ctrl-C. */

const USAGE = `Usage: npm start -- [--fresh | --in-memory] [--data-dir DIR] [--chaos SETTINGS.json]

  --fresh       delete the local data folder first and start empty
  --in-memory   keep nothing: every service in memory, on free ports
  --data-dir    where state persists (default .local/)
  --chaos       inject seeded faults as the JSON file says (README.md, "Chaos settings")
  --help        show this message`;

const DEMO_BUYER = 'demo-buyer';
/** The support console's port, as `npm run console` uses. */
const CONSOLE_PORT = 3100;
/** The buyer page's port, next to the console's. */
const BUYER_PAGE_PORT = 3200;

class ChaosSettingsFileError extends Error {
  override readonly name = 'ChaosSettingsFileError';
}

const readChaosSettings = (file: string): ChaosSettings => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ChaosSettingsFileError(`Cannot read the chaos settings ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ChaosSettingsFileError(`The chaos settings ${file} are not JSON: ${(error as Error).message}`);
  }
  const parsed = chaosSettingsSchema.safeParse(json);
  if (!parsed.success) throw new ChaosSettingsFileError(`The chaos settings ${file} are not valid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
};

interface PageUrls {
  readonly console: string | undefined;
  readonly buyerPage: string;
}

const banner = async (runtime: LocalRuntime, pages: PageUrls, chaos: ChaosSettings | undefined): Promise<string> => {
  const token = await runtime.mintToken(DEMO_BUYER);
  const { endpoints, outputs } = runtime.info;
  const concert = DEMO_CONCERT.concertId;
  const lines = [
    '',
    'Ticketing runs locally.',
    '',
    `  HTTP API        ${runtime.apiUrl}`,
    `  Buyer page      ${pages.buyerPage}?concert=${concert}   (sign in with the token below)`,
    ...(pages.console ? [`  Web console     ${pages.console}`, '                  (the link signs this browser in for this start only)'] : []),
    `  DynamoDB        ${endpoints.dynamodb}`,
    `  SQS             ${endpoints.sqs}`,
    `  Step Functions  ${endpoints.stepfunctions}`,
    `  EventBridge     ${endpoints.eventbridge}`,
    `  State machine   ${outputs[STACK_OUTPUTS.stateMachineArn]}`,
    `  Data folder     ${runtime.dataDir ?? '(in memory)'}`,
    ...(chaos ? [`  Chaos           seed ${chaos.seed}: ${Object.entries(chaos.rates).map(([kind, rate]) => `${kind} ${rate}`).join(', ')}`] : []),
    '',
    `Development token for buyer "${DEMO_BUYER}" (npm run token -- <buyer> mints others${runtime.dataDir ? '' : ' while this in-memory runtime runs'}):`,
    '',
    `  export TOKEN=${token}`,
    '',
    'Buy two seats, then follow the purchase:',
    '',
    `  curl -s -X POST ${runtime.apiUrl}/purchases -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"concertId":"${concert}","seatIds":["C-7","C-8"],"paymentToken":"tok_approve"}'`,
    'or the best two adjacent seats of a price band (A-E, F-J or K-T):',
    `  curl -s -X POST ${runtime.apiUrl}/purchases -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"concertId":"${concert}","quantity":2,"priceBand":"F-J","paymentToken":"tok_approve"}'`,
    `  curl -s ${runtime.apiUrl}/purchases/<purchaseId> -H "Authorization: Bearer $TOKEN"`,
    `  curl -s ${runtime.apiUrl}/concerts/${concert}/seats -H "Authorization: Bearer $TOKEN"`,
    '',
    `"${DEMO_ONSALE_CONCERT.concertId}" sells through its waiting room: join the line, poll your ticket until ADMITTED (the admitter runs every minute), then buy with its token:`,
    '',
    `  curl -s -X POST ${runtime.apiUrl}/concerts/${DEMO_ONSALE_CONCERT.concertId}/queue -H "Authorization: Bearer $TOKEN"`,
    `  curl -s ${runtime.apiUrl}/concerts/${DEMO_ONSALE_CONCERT.concertId}/queue/<ticketId> -H "Authorization: Bearer $TOKEN"`,
    `  curl -s -X POST ${runtime.apiUrl}/purchases -H "Authorization: Bearer $TOKEN" -H "X-Admission-Token: <admissionToken>" \\`,
    `    -H 'Content-Type: application/json' -d '{"concertId":"${DEMO_ONSALE_CONCERT.concertId}","seatIds":["A-1"],"paymentToken":"tok_approve"}'`,
    '',
    'Inspect it:  npm run inspect -- <purchaseId>     List runs:  npm run executions',
    'The AWS CLI works too, e.g.:',
    `  aws stepfunctions list-executions --endpoint-url ${endpoints.stepfunctions} --state-machine-arn ${outputs[STACK_OUTPUTS.stateMachineArn]}`,
    '',
    'Press Ctrl-C to stop.',
  ];
  return lines.join('\n');
};

const main = async (): Promise<number> => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        fresh: { type: 'boolean', default: false },
        'in-memory': { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        chaos: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.fresh && values['in-memory']) {
    console.error(`--fresh and --in-memory do not go together: an in-memory run always starts empty.\n\n${USAGE}`);
    return 2;
  }

  let chaos: ChaosSettings | undefined;
  try {
    chaos = values.chaos === undefined ? undefined : readChaosSettings(values.chaos);
  } catch (error) {
    if (!(error instanceof ChaosSettingsFileError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }

  const log = (line: string) => console.log(`[local] ${line}`);
  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({
      fresh: values.fresh,
      inMemory: values['in-memory'],
      ...(values['data-dir'] && { dataDir: values['data-dir'] }),
      ...(chaos && { chaos }),
      seed: seedDemoConcerts,
      log,
    });
  } catch (error) {
    // Only the template tells which functions exist: a settings file naming another one is still a bad file.
    if (!(error instanceof UnknownFaultTargetError)) throw error;
    console.error(`${values.chaos ?? 'The chaos settings'}: ${error.message}`);
    return 2;
  }
  // The console reads the archive file; an in-memory runtime has none, so it is served only with a data folder.
  const webConsole = runtime.dataDir
    ? await startConsole({ config: localConfigOf(runtime.info, runtime.dataDir), port: CONSOLE_PORT })
    : undefined;
  const buyerPage = await startBuyerPage({ apiUrl: runtime.apiUrl, port: BUYER_PAGE_PORT });
  console.log(await banner(runtime, { console: webConsole?.loginUrl, buyerPage: buyerPage.url }, chaos));

  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      Promise.all([webConsole?.stop(), buyerPage.stop()])
        .then(() => runtime.stop())
        .then(resolveStop, (error: unknown) => {
        console.error(error);
        resolveStop();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`\nnpm start failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    process.exit(1);
  },
);
