import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const OPTIONS_SOURCE = join(ROOT, 'lib', 'src', 'options', 'mfa-module-options.ts');
/** Where the options reference lives, and the heading of its table's section. */
const REFERENCE = { file: join(ROOT, 'docs', 'options.md'), heading: /^#+ Module options/ };

/** Every option path of MfaModuleOptions: `timeoutMs`, and `cache.ttlMs` for the fields of a nested options type. */
function declaredOptions(): string[] {
  const program = ts.createProgram([OPTIONS_SOURCE], { module: ts.ModuleKind.NodeNext, noEmit: true });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(OPTIONS_SOURCE)!;
  const root = file.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'MfaModuleOptions',
  )!;
  const paths: string[] = [];
  const visit = (type: ts.Type, prefix: string) => {
    for (const property of checker.getPropertiesOfType(type)) {
      const path = `${prefix}${property.name}`;
      const declared = checker.getNonNullableType(checker.getTypeOfSymbol(property));
      // A nested options interface of this package (cache, circuitBreaker, http) is documented field by field.
      const nested = declared
        .getSymbol()
        ?.declarations?.some(
          (d) =>
            ts.isInterfaceDeclaration(d) &&
            d.getSourceFile().fileName.includes('/lib/src/') &&
            /Options$/.test(d.name.text),
        );
      if (nested) visit(declared, `${path}.`);
      else paths.push(path);
    }
  };
  visit(checker.getTypeAtLocation(root), '');
  return paths.sort();
}

/** The options the reference's table names: backticked names in its first column (`.x` continues `a.y` as `a.x`). */
function documentedOptions(): Set<string> {
  const lines = readFileSync(REFERENCE.file, 'utf8').split('\n');
  const start = lines.findIndex((line) => REFERENCE.heading.test(line));
  expect(start, 'the options reference section exists').toBeGreaterThanOrEqual(0);
  const names = new Set<string>();
  for (const line of lines.slice(start + 1)) {
    if (/^#/.test(line)) break;
    if (!line.startsWith('|')) continue;
    const firstCell = line.split('|')[1] ?? '';
    let prefix = '';
    for (const [, name] of firstCell.matchAll(/`([.\w]+)`/g)) {
      const full = name!.startsWith('.') ? `${prefix}${name!.slice(1)}` : name!;
      prefix = full.includes('.') ? full.slice(0, full.lastIndexOf('.') + 1) : '';
      names.add(full);
    }
  }
  return names;
}

describe('the options reference', () => {
  it('lists every option of MfaModuleOptions in its table', () => {
    const declared = declaredOptions();
    expect(declared.length).toBeGreaterThan(30);
    const documented = documentedOptions();
    expect(declared.filter((option) => !documented.has(option))).toEqual([]);
  });
});
