import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { z } from 'zod';
import { readModuleSyntax } from './module-imports.ts';

/**
 * Which domain code each handler uses and which events it publishes, from
 * the import graph. A handler publishes an event when its code, or domain
 * code it imports (directly or not), calls `domainEvent(Definition, ...)`
 * with a definition imported from events/: the one way the code builds an
 * event to publish. Importing a definition alone (as projections do, to
 * parse what they consume) is not publishing.
 */

/** Read access to the repository, so tests can scan a tree held in memory. */
export interface SourceTree {
  /** The text of a file (path relative to the root, with `/`), undefined when absent. */
  read(file: string): string | undefined;
  /** File names directly inside a folder. */
  list(folder: string): string[];
}

export const fileSystemTree = (root: string): SourceTree => ({
  read: (file) => {
    const path = join(root, ...file.split('/'));
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  },
  list: (folder) => {
    const path = join(root, ...folder.split('/'));
    return existsSync(path) ? readdirSync(path, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name) : [];
  },
});

const packageJsonSchema = z.object({ imports: z.record(z.string(), z.string()).default({}) });

/** package.json `imports`, e.g. "#events/*" -> "./events/*.ts". */
type SubpathImports = Readonly<Record<string, string>>;

const readSubpathImports = (tree: SourceTree): SubpathImports => {
  const text = tree.read('package.json');
  if (text === undefined) throw new Error('package.json not found at the repository root');
  return packageJsonSchema.parse(JSON.parse(text)).imports;
};

/** The repository file a specifier names (relative, with `/`), or undefined for packages and node: modules. */
const resolveSpecifier = (fromFile: string, specifier: string, subpaths: SubpathImports): string | undefined => {
  if (specifier.startsWith('.')) return posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  for (const [pattern, target] of Object.entries(subpaths)) {
    const [prefix = '', suffix = ''] = pattern.split('*');
    if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
      const captured = specifier.slice(prefix.length, specifier.length - suffix.length);
      return posix.normalize(target.replace('*', captured));
    }
  }
  return undefined;
};

export interface CodeLayout {
  /** Where the Lambda entry points are (one file each, directly inside). */
  readonly handlersFolder: string;
  readonly domainFolder: string;
  readonly eventsFolder: string;
  /** The function that builds a publishable event from a definition. */
  readonly publishFunction: { readonly file: string; readonly name: string };
}

const CODE_LAYOUT: CodeLayout = {
  handlersFolder: 'handlers',
  domainFolder: 'domain',
  eventsFolder: 'events',
  publishFunction: { file: 'events/event-definition.ts', name: 'domainEvent' },
};

/** An exported event definition: the module that defines it and its export name. */
export interface DefinitionReference {
  readonly file: string;
  readonly exportName: string;
}

export interface HandlerScan {
  /** File name without extension: `reserve-seats`. */
  readonly name: string;
  readonly file: string;
  /** The domain/<folder>/ folders the handler imports values from directly. */
  readonly domainFolders: readonly string[];
  readonly published: readonly DefinitionReference[];
}

const inFolder = (file: string, folder: string) => file.startsWith(`${folder}/`);

const scanHandler = (tree: SourceTree, subpaths: SubpathImports, layout: CodeLayout, file: string): HandlerScan => {
  const published = new Map<string, DefinitionReference>();
  const domainFolders = new Set<string>();
  const seen = new Set<string>();
  const queue = [file];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    if (seen.has(current)) continue;
    seen.add(current);
    const text = tree.read(current);
    if (text === undefined) continue;
    const syntax = readModuleSyntax(current, text);
    for (const entry of syntax.imports) {
      const target = resolveSpecifier(current, entry.specifier, subpaths);
      if (!target) continue;
      const runtime = !entry.typeOnly && entry.bindings.some((binding) => !binding.typeOnly);
      const domainFolder = inFolder(target, layout.domainFolder) ? target.split('/')[1] : undefined;
      if (current === file && runtime && domainFolder && target.split('/').length > 2) domainFolders.add(domainFolder);
      // Definitions live in events/ and publish nothing themselves: the walk stops there.
      if (runtime && !inFolder(target, layout.eventsFolder)) queue.push(target);
    }
    for (const call of syntax.calls) {
      const callee = resolveSpecifier(current, call.callee.specifier, subpaths);
      const argument = resolveSpecifier(current, call.firstArgument.specifier, subpaths);
      if (callee !== layout.publishFunction.file || call.callee.imported !== layout.publishFunction.name) continue;
      if (!argument || !inFolder(argument, layout.eventsFolder)) continue;
      published.set(`${argument}#${call.firstArgument.imported}`, { file: argument, exportName: call.firstArgument.imported });
    }
  }
  return {
    name: posix.basename(file, '.ts'),
    file,
    domainFolders: [...domainFolders].sort(),
    published: [...published.values()].sort((a, b) => `${a.file}#${a.exportName}`.localeCompare(`${b.file}#${b.exportName}`)),
  };
};

/** Every handler entry point, by file name. */
export const scanHandlers = (tree: SourceTree, layout: CodeLayout = CODE_LAYOUT): HandlerScan[] => {
  const subpaths = readSubpathImports(tree);
  return tree
    .list(layout.handlersFolder)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => scanHandler(tree, subpaths, layout, `${layout.handlersFolder}/${name}`));
};

