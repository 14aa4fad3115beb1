import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeBill } from './bill.ts';
import { costRunSchema, type CostRun } from './cost-run.ts';
import { PRICES } from './prices.ts';
import { renderCostMarkdown } from './render-markdown.ts';
import { readTemplateFacts } from './template-facts.ts';
import { computeWaitingRoomBill } from './waiting-room.ts';

/** The page and the counts it is rendered from, both checked in. */
export const COST_PAGE = join(__dirname, '..', '..', 'docs', 'cost.md');
export const COST_RUN_FILE = join(__dirname, '..', '..', 'docs', 'cost-run.json');

export const readCostRun = (file: string = COST_RUN_FILE): CostRun => costRunSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

/** The page for these counts on this template at these prices. */
export const renderCostPage = (run: CostRun, template: unknown): string => {
  const facts = readTemplateFacts(template);
  return `${renderCostMarkdown(run, facts, computeBill(run, facts, PRICES), computeWaitingRoomBill(facts, PRICES))}\n`;
};

/** The run file as checked in: stable key order, one trailing newline. */
export const costRunJson = (run: CostRun): string => `${JSON.stringify(run, null, 2)}\n`;
