import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCatalog } from './render.ts';

/** Writes the JSON Schema of every domain event beside this file. */
const outputDir = join(__dirname, 'schemas');
mkdirSync(outputDir, { recursive: true });
for (const { fileName, content } of renderCatalog()) {
  writeFileSync(join(outputDir, fileName), content);
  console.log(`wrote events/catalog/schemas/${fileName}`);
}
