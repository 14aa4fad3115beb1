import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

export interface StaticFile {
  readonly contentType: string;
  readonly body: Buffer;
}

const decoded = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

/**
 * The pages the tools serve (the support console, the buyer page) are plain
 * HTML, CSS and JavaScript modules, served as they are (no build step).
 * `/` is the app's page; `/assets/<path>` a file of the assets folder, of a
 * known type. Anything that resolves outside that folder (`..`, encoded
 * slashes) is not found, as is every other path.
 */
export const findStaticFile = async (pathname: string, assetsDir: string): Promise<StaticFile | undefined> => {
  const relative = pathname === '/' || pathname === '/index.html' ? 'index.html' : pathname.startsWith('/assets/') ? decoded(pathname.slice('/assets/'.length)) : undefined;
  if (relative === undefined) return undefined;
  const root = resolve(assetsDir);
  const file = resolve(root, relative);
  const contentType = CONTENT_TYPES[extname(file)];
  if (!file.startsWith(root + sep) || !contentType) return undefined;
  try {
    return { contentType, body: await readFile(file) };
  } catch {
    return undefined;
  }
};
