import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * What a bundle is made of, read from the source map esbuild writes beside it:
 * every byte of index.js that a mapping covers counts for the package (or
 * project folder) of its source. The maps carry no sources, only mappings,
 * so this is the one view of a deployed bundle's weight that needs nothing
 * but the assets cdk.out already has.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VLQ_CONTINUATION = 32;
const VLQ_VALUE_BITS = 5;

/** The numbers of one mapping segment (source-map v3 Base64 VLQ). */
export const decodeSegment = (segment: string): number[] => {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    if (digit === -1) throw new SyntaxError(`not a Base64 VLQ digit: ${char}`);
    value += (digit % VLQ_CONTINUATION) * 2 ** shift;
    if (digit >= VLQ_CONTINUATION) {
      shift += VLQ_VALUE_BITS;
      continue;
    }
    // The lowest bit is the sign.
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    shift = 0;
  }
  return values;
};

/** `node_modules/@smithy/core/dist-es/x.js` → `@smithy/core`; our own `../../domain/orders/x.ts` → `domain/orders`. */
export const packageOf = (source: string): string => {
  const inModules = source.lastIndexOf('node_modules/');
  const parts = (inModules === -1 ? source.replace(/^(\.\.\/)+/, '') : source.slice(inModules + 'node_modules/'.length)).split('/');
  if (inModules !== -1) return (parts[0] as string).startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts.join('/');
};

const sourceMapSchema = z.object({ sources: z.array(z.string()), mappings: z.string() });

/** Bytes of generated code per source file, from the bundle's text and its map. */
export const bytesBySource = (code: string, map: unknown): Map<string, number> => {
  const { sources, mappings } = sourceMapSchema.parse(map);
  const lines = code.split('\n');
  const bytes = new Map<string, number>();
  let sourceIndex = 0;
  mappings.split(';').forEach((lineMappings, lineNumber) => {
    const lineLength = Buffer.byteLength(lines[lineNumber] ?? '');
    // Generated columns restart at each line; the source index carries over.
    let column = 0;
    const starts: Array<{ column: number; source: number | undefined }> = [];
    for (const segment of lineMappings.split(',').filter(Boolean)) {
      const [columnDelta = 0, sourceDelta] = decodeSegment(segment);
      column += columnDelta;
      if (sourceDelta !== undefined) sourceIndex += sourceDelta;
      starts.push({ column, source: sourceDelta === undefined ? undefined : sourceIndex });
    }
    starts.forEach((start, index) => {
      if (start.source === undefined) return;
      const end = starts[index + 1]?.column ?? lineLength;
      const name = sources[start.source] ?? '(unknown)';
      bytes.set(name, (bytes.get(name) ?? 0) + end - start.column);
    });
  });
  return bytes;
};

export interface PackageWeight {
  readonly name: string;
  readonly bytes: number;
}

/** The bundle's packages, heaviest first. (Columns count characters; the minified code is ASCII but for a few literals.) */
export const packageWeights = (bundleFile: string): PackageWeight[] => {
  const bySource = bytesBySource(readFileSync(bundleFile, 'utf8'), JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8')));
  const byPackage = new Map<string, number>();
  for (const [source, bytes] of bySource) byPackage.set(packageOf(source), (byPackage.get(packageOf(source)) ?? 0) + bytes);
  return [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
};
