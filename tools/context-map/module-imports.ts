import ts from 'typescript';

/**
 * What one TypeScript module imports, and which imported values it passes
 * as the first argument of which imported functions, read from its syntax
 * tree with the TypeScript compiler API (no type checking, no execution).
 */

interface ImportedBinding {
  /** The name in this module. */
  readonly local: string;
  /** The exported name ('default' for a default import, '*' for a namespace). */
  readonly imported: string;
  readonly typeOnly: boolean;
}

interface ModuleImport {
  readonly specifier: string;
  readonly typeOnly: boolean;
  readonly bindings: readonly ImportedBinding[];
}

/** `callee(argument, ...)` where both are names imported by the module. */
interface ImportedCall {
  readonly callee: { readonly specifier: string; readonly imported: string };
  readonly firstArgument: { readonly specifier: string; readonly imported: string };
}

export interface ModuleSyntax {
  readonly imports: readonly ModuleImport[];
  readonly calls: readonly ImportedCall[];
}

const bindingsOf = (clause: ts.ImportClause): ImportedBinding[] => {
  const bindings: ImportedBinding[] = [];
  if (clause.name) bindings.push({ local: clause.name.text, imported: 'default', typeOnly: clause.isTypeOnly });
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) bindings.push({ local: named.name.text, imported: '*', typeOnly: clause.isTypeOnly });
  if (named && ts.isNamedImports(named)) {
    for (const element of named.elements) {
      bindings.push({ local: element.name.text, imported: (element.propertyName ?? element.name).text, typeOnly: clause.isTypeOnly || element.isTypeOnly });
    }
  }
  return bindings;
};

export const readModuleSyntax = (fileName: string, sourceText: string): ModuleSyntax => {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports: ModuleImport[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    imports.push({ specifier: statement.moduleSpecifier.text, typeOnly: clause?.isTypeOnly ?? false, bindings: clause ? bindingsOf(clause) : [] });
  }

  const valueBindings = new Map(
    imports.flatMap((entry) => entry.bindings.filter((binding) => !binding.typeOnly).map((binding) => [binding.local, { specifier: entry.specifier, imported: binding.imported }] as const)),
  );
  const calls: ImportedCall[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const callee = valueBindings.get(node.expression.text);
      const [first] = node.arguments;
      const firstArgument = first && ts.isIdentifier(first) ? valueBindings.get(first.text) : undefined;
      if (callee && firstArgument) calls.push({ callee, firstArgument });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, calls };
};
