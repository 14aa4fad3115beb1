import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '#tools/cost';
import { loadTemplate } from '#tools/context-map/generate';
import { COST_PAGE, readCostRun, renderCostPage } from '#tools/cost/generate';
import { readTemplateFacts } from '#tools/cost/template-facts';
import { bufferedIo } from '../ops/support.ts';

/** Synthesizing the stack takes several seconds: once for the whole file. */
const SYNTH_TIMEOUT_MS = 120_000;

describe('docs/cost.md', () => {
  let template: unknown;

  beforeAll(() => {
    template = loadTemplate();
  }, SYNTH_TIMEOUT_MS);

  test('is up to date with docs/cost-run.json, the template and the prices (render it with npm run cost -- --render)', () => {
    // Act
    const rendered = renderCostPage(readCostRun(), template);

    // Assess
    expect(readFileSync(COST_PAGE, 'utf8')).toBe(rendered);
  });

  test('reads the deployed settings from the template: arm64 functions, one Standard machine logging ALL', () => {
    // Act
    const facts = readTemplateFacts(template);

    // Assess
    expect(new Set(facts.functions.map((fn) => fn.architecture))).toEqual(new Set(['arm64']));
    expect(facts.stateMachine).toMatchObject({ type: 'STANDARD', logLevel: 'ALL', includeExecutionData: true });
    expect(facts.stepFunctionIds).toHaveLength(8);
    // The purchase sweeper and the waiting room's admitter.
    expect(facts.functions.filter((fn) => fn.scheduled)).toHaveLength(2);
    // The waiting room's model finds its functions by handler.
    expect(facts.functions.map((fn) => fn.handler)).toEqual(expect.arrayContaining(['join-queue', 'get-queue-ticket']));
  });

  test('npm run cost -- --check passes on the checked-in page', async () => {
    // Prepare
    const templateFile = join(mkdtempSync(join(tmpdir(), 'cost-')), 'template.json');
    writeFileSync(templateFile, JSON.stringify(template));
    const out = bufferedIo();

    // Act
    const code = await main(['--check', '--template', templateFile], out.io);

    // Assess
    expect(out.stderr()).toBe('');
    expect(code).toBe(0);
  });

  test('npm run cost -- --check fails when the template changed a memory size', async () => {
    // Prepare
    const changed = JSON.parse(JSON.stringify(template).replace(/"MemorySize":512/, '"MemorySize":1024')) as unknown;
    const templateFile = join(mkdtempSync(join(tmpdir(), 'cost-')), 'template.json');
    writeFileSync(templateFile, JSON.stringify(changed));
    const out = bufferedIo();

    // Act
    const code = await main(['--check', '--template', templateFile], out.io);

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toMatch(/docs\/cost\.md is stale/);
  });
});
