import { join } from 'node:path';
import { contextMapSchema, type ContextMap } from './model.ts';

/** The checked-in page (kept free of the generator's imports: the web console reads it at request time). */
export const CONTEXT_MAP_PAGE = join(__dirname, '..', '..', 'docs', 'context-map.md');

/**
 * docs/context-map.md carries its model as JSON in an HTML comment (invisible
 * when the page is rendered), so the web console draws the very map the page
 * shows without parsing Mermaid or running the generator (which synthesizes
 * the stack).
 */
const OPENING = '<!-- context-map-model';
const CLOSING = '-->';

/** One line per entry keeps the block short and its diffs readable. */
const compactJson = (model: ContextMap): string =>
  `{\n${Object.entries(model)
    .map(([key, entries]: [string, unknown[]]) => `${JSON.stringify(key)}: [\n${entries.map((entry) => `  ${JSON.stringify(entry)}`).join(',\n')}\n]`)
    .join(',\n')}\n}`;

/** `>` is escaped so no string in the model can close the comment early. */
export const embedModel = (model: ContextMap): string => `${OPENING}\n${compactJson(model).replaceAll('>', '\\u003e')}\n${CLOSING}\n`;

export class ContextMapPageError extends Error {
  override readonly name = 'ContextMapPageError';
}

export const extractModel = (markdown: string): ContextMap => {
  const start = markdown.indexOf(OPENING);
  const end = start < 0 ? -1 : markdown.indexOf(CLOSING, start + OPENING.length);
  if (start < 0 || end < 0) throw new ContextMapPageError('the page has no embedded model: regenerate it with npm run context-map');
  let json: unknown;
  try {
    json = JSON.parse(markdown.slice(start + OPENING.length, end));
  } catch (error) {
    throw new ContextMapPageError(`the embedded model is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = contextMapSchema.safeParse(json);
  if (!parsed.success) throw new ContextMapPageError(`the embedded model does not match the schema: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
};
