import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOG } from '#events/catalog';
import { renderCatalog } from '#events/catalog/render';

const schemasDir = join(__dirname, '../../../events/catalog/schemas');

test('the checked-in JSON Schemas match the zod schemas (run `npm run catalog` after changing an event)', () => {
  for (const { fileName, content } of renderCatalog()) {
    expect({ fileName, content: readFileSync(join(schemasDir, fileName), 'utf8') }).toEqual({ fileName, content });
  }
});

test('the catalog directory holds exactly one schema per event', () => {
  const expected = EVENT_CATALOG.map((definition) => `${definition.detailType}.schema.json`).sort();
  expect(readdirSync(schemasDir).sort()).toEqual(expected);
});

test('every detail-type is versioned and unique', () => {
  const detailTypes = EVENT_CATALOG.map((definition) => definition.detailType);
  expect(detailTypes.every((detailType) => /^[A-Z][A-Za-z]+\.v\d+$/.test(detailType))).toBe(true);
  expect(new Set(detailTypes).size).toBe(detailTypes.length);
});
