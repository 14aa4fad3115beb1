import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { synthesizeTemplate } from '#infra/synth';
import { buildContextMap } from './build-context-map.ts';
import { fileSystemTree } from './code-scan.ts';
export { CONTEXT_MAP_PAGE } from './embedded-model.ts';
import type { ContextMap } from './model.ts';
import { renderContextMapMarkdown } from './render-markdown.ts';

/** The repository root: the generator reads handlers/, domain/, events/ and package.json from it. */
export const REPOSITORY_ROOT = join(__dirname, '..', '..');

const templateFileSchema = z.record(z.string(), z.unknown());

/**
 * The template the map is read from: a synthesized file when given (e.g.
 * cdk.out/Ticketing.template.json), else an in-process synth without
 * bundling (the wiring is all the map needs).
 */
export const loadTemplate = (templateFile?: string): unknown =>
  templateFile ? templateFileSchema.parse(JSON.parse(readFileSync(templateFile, 'utf8'))) : synthesizeTemplate({ bundle: false, validateTemplate: false });

export interface GeneratedMap {
  readonly model: ContextMap;
  readonly markdown: string;
}

/** The map of this repository, from a template already loaded (tests synthesize once and reuse it). */
export const contextMapOf = (template: unknown, root: string = REPOSITORY_ROOT): GeneratedMap => {
  const model = buildContextMap({ tree: fileSystemTree(root), template });
  return { model, markdown: renderContextMapMarkdown(model) };
};

export const generateContextMap = (options: { readonly templateFile?: string; readonly root?: string } = {}): GeneratedMap =>
  contextMapOf(loadTemplate(options.templateFile), options.root);
