import * as z from 'zod';
import { EVENT_CATALOG } from '../catalog.ts';

export interface RenderedSchema {
  readonly fileName: string;
  readonly content: string;
}

/** One JSON Schema (draft 2020-12) per event, named after its detail-type. */
export const renderCatalog = (): RenderedSchema[] =>
  EVENT_CATALOG.map((definition) => {
    const schema = {
      ...z.toJSONSchema(definition.schema, { target: 'draft-2020-12', io: 'output' }),
      title: definition.detailType,
      description: definition.description,
      'x-source': definition.source,
    };
    return { fileName: `${definition.detailType}.schema.json`, content: `${JSON.stringify(schema, null, 2)}\n` };
  });
