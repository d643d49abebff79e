import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '..', 'lib', 'dist');
const ENTRY_POINTS = ['', 'testing', 'terminus', 'swagger', 'auth', 'dto'].map((entry) =>
  join(DIST, entry, 'index.d.ts'),
);

/**
 * Every type the public declarations name, which the package declares itself, must be exported from an
 * entry point: a user can otherwise see a type in an error or a hover and not import it.
 */
function unexportedReferences(): string[] {
  const program = ts.createProgram(ENTRY_POINTS, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const resolve = (symbol: ts.Symbol) =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const exported = new Set<ts.Symbol>();
  for (const entry of ENTRY_POINTS) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    for (const symbol of checker.getExportsOfModule(module)) exported.add(resolve(symbol));
  }
  const problems = new Set<string>();
  const ownDeclaration = (symbol: ts.Symbol) =>
    symbol.declarations?.some((d) => d.getSourceFile().fileName.startsWith(DIST)) === true;
  const visit = (node: ts.Node, owner: string): void => {
    // Private members are not part of the surface (their types are not even emitted).
    if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) {
      return;
    }
    const name = ts.isTypeReferenceNode(node)
      ? node.typeName
      : ts.isExpressionWithTypeArguments(node)
        ? node.expression
        : ts.isTypeQueryNode(node)
          ? node.exprName
          : undefined;
    if (name) {
      const found = checker.getSymbolAtLocation(name);
      if (found) {
        const symbol = resolve(found);
        const isParameter = symbol.flags & ts.SymbolFlags.TypeParameter;
        if (!isParameter && ownDeclaration(symbol) && !exported.has(symbol)) {
          problems.add(`${owner} refers to ${symbol.getName()}, which no entry point exports`);
        }
      }
    }
    ts.forEachChild(node, (child) => visit(child, owner));
  };
  for (const symbol of exported) {
    for (const declaration of symbol.declarations ?? []) {
      if (declaration.getSourceFile().fileName.startsWith(DIST)) visit(declaration, symbol.getName());
    }
  }
  return [...problems].sort();
}

describe('the public API', () => {
  it('names no type that the package declares without exporting it', () => {
    expect(unexportedReferences()).toEqual([]);
  });
});
