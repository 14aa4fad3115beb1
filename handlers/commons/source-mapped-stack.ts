import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

/**
 * Stack traces that point into the TypeScript sources, paid for only when an
 * error is logged. Node's `--enable-source-maps` reads and indexes the whole
 * map while the bundle loads, a third of a cold start's work; here the map
 * beside the bundle (index.js.map) is read the first time a stack needs it.
 * Frames of files without a map stay as they are.
 */

/** `/var/task/index.js:1:2345`: an absolute path to a .js file, its line and column. */
const FRAME_LOCATION = /(\/[^\s()]+\.js):(\d+):(\d+)/;

const sourceMaps = new Map<string, SourceMap | undefined>();

const readSourceMap = (file: string): SourceMap | undefined => {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return undefined;
  }
};

const sourceMapOf = (file: string): SourceMap | undefined => {
  if (!sourceMaps.has(file)) sourceMaps.set(file, readSourceMap(file));
  return sourceMaps.get(file);
};

/** The map's sources are relative to where esbuild wrote the bundle: keep the part a reader recognizes. */
const readablePath = (source: string): string => {
  const withoutParents = source.replace(/^(\.\.\/)+/, '');
  const packageStart = withoutParents.lastIndexOf('node_modules/');
  return packageStart === -1 ? withoutParents : withoutParents.slice(packageStart);
};

const mapFrame = (frame: string): string =>
  frame.replace(FRAME_LOCATION, (location, file: string, line: string, column: string) => {
    const origin = sourceMapOf(file)?.findOrigin(Number(line), Number(column));
    return origin && 'fileName' in origin ? `${readablePath(origin.fileName)}:${origin.lineNumber}:${origin.columnNumber}` : location;
  });

export const sourceMappedStack = (stack: string): string => stack.split('\n').map(mapFrame).join('\n');
