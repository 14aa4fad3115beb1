import ts from 'typescript';
import { EVENT_CATALOG } from '#events/catalog';
import type { EventDefinition } from '#events/event-definition';
import type { DefinitionReference, SourceTree } from './code-scan.ts';

/**
 * `export const XEvent = defineEvent({ detailType: 'X.v1', ... })` -> X.v1,
 * read from the syntax tree of an events/ module. A published detail-type is
 * a literal by convention (it is a contract, never computed), so an export
 * that is not one is reported rather than guessed.
 */
const detailTypesDefinedIn = (fileName: string, sourceText: string): Map<string, string> => {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const call = declaration.initializer;
      if (!ts.isIdentifier(declaration.name) || !call || !ts.isCallExpression(call)) continue;
      const [argument] = call.arguments;
      if (!argument || !ts.isObjectLiteralExpression(argument)) continue;
      const property = argument.properties.find(
        (candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && ts.isIdentifier(candidate.name) && candidate.name.text === 'detailType',
      );
      if (property && ts.isStringLiteralLike(property.initializer)) found.set(declaration.name.text, property.initializer.text);
    }
  }
  return found;
};

class UnknownEventDefinitionError extends Error {
  override readonly name = 'UnknownEventDefinitionError';
}

/** The catalog entry a handler's `domainEvent(X, ...)` names. */
export const resolveDefinition = (tree: SourceTree, reference: DefinitionReference, catalog: readonly EventDefinition[] = EVENT_CATALOG): EventDefinition => {
  const text = tree.read(reference.file);
  if (text === undefined) throw new UnknownEventDefinitionError(`${reference.file} does not exist (imported for ${reference.exportName})`);
  const detailType = detailTypesDefinedIn(reference.file, text).get(reference.exportName);
  if (!detailType) throw new UnknownEventDefinitionError(`${reference.file} exports no ${reference.exportName} = defineEvent({ detailType: '<literal>', ... })`);
  const definition = catalog.find((candidate) => candidate.detailType === detailType);
  if (!definition) throw new UnknownEventDefinitionError(`${detailType} (${reference.file}) is published but missing from EVENT_CATALOG (events/catalog.ts)`);
  return definition;
};
