import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isJsx, languageForPath } from '../../src/engine/lexing/languages.js';
import { lex } from '../../src/engine/lexing/lex.js';
import { extractSymbols } from '../../src/engine/symbols/extract-symbols.js';
import type { FileSymbols } from '../../src/engine/symbols/symbol-types.js';

/** Extracts a file's symbols the way the backend does: language by extension, JSX by extension. */
function extract(path: string, text: string): FileSymbols {
  const language = languageForPath(path);
  assert.ok(language, `a language for ${path}`);
  return extractSymbols(lex(text, language, { jsx: isJsx(path) }));
}

/** One line per symbol and import, so a failure shows exactly which declaration differs. */
function rows(result: FileSymbols): { symbols: string[]; imports: string[] } {
  return {
    symbols: result.symbols.map(
      (s) =>
        `${s.kind} ${s.name} ${s.startLine}-${s.endLine}${s.container === undefined ? '' : ` in ${s.container}`}${s.exported ? ' exported' : ''}`,
    ),
    imports: result.imports.map((i) => `${i.line} ${i.module}${i.names.length > 0 ? `: ${i.names.join(', ')}` : ''}`),
  };
}

/**
 * Fixtures carry a `.txt` suffix so that the TypeScript build, the linter and the formatter leave
 * them alone; the name before it chooses the language.
 */
function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/symbols/${name}.txt`, import.meta.url), 'utf8');
}

function fixture(name: string): { symbols: string[]; imports: string[] } {
  return rows(extract(name, fixtureText(name)));
}

function inline(path: string, text: string): { symbols: string[]; imports: string[] } {
  return rows(extract(path, text));
}

describe('extractSymbols on a realistic file per language', () => {
  test('TypeScript: declarations with their full ranges, class members, merged overloads, a decorator starting its class, exports by keyword and by clause, every import form', () => {
    const { symbols, imports } = fixture('user-service.ts');
    assert.deepEqual(symbols, [
      'constant CACHE_TTL_MS 10-10 exported',
      'variable requestCount 11-11',
      'interface User 13-16 exported',
      'type UserId 18-18 exported',
      'enum Role 20-23 exported',
      'class UserService 25-53 exported',
      'method constructor 29-31 in UserService exported',
      'method findUser 33-36 in UserService exported',
      'method size 38-40 in UserService exported',
      'method evict 42-44 in UserService',
      'method onChange 46-48 in UserService exported',
      'method create 50-52 in UserService exported',
      'function parseUser 55-59 exported',
      'function toUserId 61-61 exported',
      'function normalizeName 63-65 exported',
      'module Internal 67-71',
      'function helper 68-70 in Internal exported',
    ]);
    assert.deepEqual(imports, [
      '1 node:events: EventEmitter',
      '2 ./logger.js: Logger',
      '3 ./http-client.js: default, request, Options',
      '4 node:path: *',
      '5 ./polyfills.js',
      '6 ./format.js: formatUser',
      '7 ./types.js: *',
    ]);
  });

  test('TSX: components declared as functions, arrow functions and a default-exported class survive JSX, generic arguments and template literals', () => {
    const { symbols, imports } = fixture('user-card.tsx');
    assert.deepEqual(symbols, [
      'interface UserCardProps 4-7',
      'constant DEFAULT_AVATAR 9-9',
      'function UserCard 11-19 exported',
      'function UserBadge 21-21 exported',
      'class UserList 23-33 exported',
      'method render 24-32 in UserList exported',
      'function formatTitle 35-37',
    ]);
    assert.deepEqual(imports, ['1 react: default, useState', '2 ../avatar/avatar.js: Avatar']);
  });

  test('JavaScript (CommonJS): require() bindings are imports, module.exports exports the named declarations and the methods of their classes', () => {
    const { symbols, imports } = fixture('legacy-store.js');
    assert.deepEqual(symbols, [
      'constant DEFAULT_FILE 7-7',
      'function readStore 9-12 exported',
      'class Store 14-27 exported',
      'method constructor 15-18 in Store exported',
      'method get 20-22 in Store exported',
      'method keys 24-26 in Store exported',
      'function createStore 29-31 exported',
    ]);
    assert.deepEqual(imports, ['3 fs: *', '4 path: join, dirname', '5 ./register']);
  });

  test('Python: indentation nesting, decorators start the symbol, nested functions are skipped, enum and protocol bases, __all__ decides what is exported', () => {
    const { symbols, imports } = fixture('billing.py');
    assert.deepEqual(symbols, [
      'constant DEFAULT_CURRENCY 16-16 exported',
      'variable _log 17-17',
      'variable retry_count 18-18',
      'enum InvoiceStatus 21-23 exported',
      'interface Notifier 26-27',
      'method notify 27-27 in Notifier',
      'class Invoice 30-49 exported',
      'method total 35-39 in Invoice exported',
      'method is_empty 41-43 in Invoice exported',
      'method _audit 45-46 in Invoice',
      'class Meta 48-49 in Invoice exported',
      'function load_invoices 52-54 exported',
      'function _parse_line 57-59',
    ]);
    assert.deepEqual(imports, [
      '2 __future__: annotations',
      '4 logging: *',
      '5 os.path: *',
      '5 json: *',
      '6 dataclasses: dataclass, field',
      '7 enum: Enum',
      '8 typing: Optional, Protocol',
      '12 .: models',
      '58 re: *',
    ]);
  });

  test('Ruby: def/class/module matched with end past modifiers and blocks, def self.x, endless defs, private sections, require', () => {
    const { symbols, imports } = fixture('billing.rb');
    assert.deepEqual(symbols, [
      'module Billing 4-45 exported',
      'constant CURRENCY 5-5 in Billing exported',
      'class Invoice 7-38 in Billing exported',
      'method from_json 10-13 in Invoice exported',
      'method initialize 15-18 in Invoice exported',
      'method total 20-24 in Invoice exported',
      'method paid? 26-26 in Invoice exported',
      'method empty? 28-31 in Invoice exported',
      'method audit! 35-37 in Invoice',
      'module Formatting 40-44 in Billing exported',
      'method format 41-43 in Formatting exported',
      'function helper 47-49 exported',
    ]);
    assert.deepEqual(imports, ['1 json', '2 support/money']);
  });

  test('Java: the package contains the types, annotations, constructors, generic methods, static final constants, nested enum constants, interfaces and records', () => {
    const { symbols, imports } = fixture('InvoiceService.java');
    assert.deepEqual(symbols, [
      'module com.acme.billing 1-45 exported',
      'class InvoiceService 8-45 in com.acme.billing exported',
      'constant MAX_LINES 10-10 in InvoiceService exported',
      'constant PREFIX 11-11 in InvoiceService',
      'method InvoiceService 14-17 in InvoiceService exported',
      'method find 19-22 in InvoiceService exported',
      'method findAll 24-26 in InvoiceService exported',
      'method settle 28-30 in InvoiceService',
      'enum Status 32-38 in InvoiceService exported',
      'constant OPEN 33-33 in Status exported',
      'constant PAID 34-34 in Status exported',
      'constant VOID 35-35 in Status exported',
      'interface Listener 40-42 in InvoiceService',
      'method onSettled 41-41 in Listener exported',
      'class Line 44-44 in InvoiceService',
    ]);
    assert.deepEqual(imports, ['3 java.util: List', '4 java.util: Optional', '5 java.util.Objects: requireNonNull']);
  });

  test('Go: methods contained by their receiver type, grouped const, struct and interface types, capitalisation decides export, blank imports', () => {
    const { symbols, imports } = fixture('invoice.go');
    assert.deepEqual(symbols, [
      'constant MaxLines 11-11 exported',
      'constant StatusOpen 14-14 exported',
      'constant StatusPaid 15-15 exported',
      'constant statusVoid 16-16',
      'variable ErrNotFound 19-19 exported',
      'struct Invoice 21-24 exported',
      'struct Line 26-26 exported',
      'interface Settler 28-30 exported',
      'type ID 32-32 exported',
      'method Total 34-40 in Invoice exported',
      'method label 42-42 in Invoice',
      'function NewInvoice 44-46 exported',
      'function parseNumber 48-53',
    ]);
    assert.deepEqual(imports, ['4 errors: *', '5 fmt: *', '6 embed', '7 strings: *']);
  });

  test('C#: namespace as container, properties and events skipped, expression-bodied and generic methods, enum members, record structs, delegates', () => {
    const { symbols, imports } = fixture('InvoiceService.cs');
    assert.deepEqual(symbols, [
      'module Acme.Billing 6-48 exported',
      'class InvoiceService 9-36 in Acme.Billing exported',
      'constant MaxLines 12-12 in InvoiceService exported',
      'constant Prefix 13-13 in InvoiceService',
      'method InvoiceService 16-19 in InvoiceService exported',
      'method Find 23-23 in InvoiceService exported',
      'method FindAllAsync 25-28 in InvoiceService exported',
      'method Settle 30-33 in InvoiceService',
      'interface ISettler 38-41 in Acme.Billing exported',
      'method Settle 40-40 in ISettler exported',
      'enum InvoiceStatus 43-43 in Acme.Billing exported',
      'constant Open 43-43 in InvoiceStatus exported',
      'constant Paid 43-43 in InvoiceStatus exported',
      'constant Void 43-43 in InvoiceStatus exported',
      'struct Line 45-45 in Acme.Billing exported',
      'type SettledHandler 47-47 in Acme.Billing',
    ]);
    assert.deepEqual(imports, [
      '1 System: *',
      '2 System.Collections.Generic: *',
      '3 System.Math: *',
      '4 System.Text.Json.JsonSerializer: *',
    ]);
  });

  test('C: function definitions only (prototypes and function-like macros skipped), typedef structs and callbacks, static is not exported, #include', () => {
    const { symbols, imports } = fixture('ring_buffer.c');
    assert.deepEqual(symbols, [
      'constant RING_DEFAULT_CAPACITY 5-5 exported',
      'struct ring_buffer_t 8-13 exported',
      'type ring_callback 15-15 exported',
      'enum ring_status 17-17 exported',
      'constant kGrowthFactor 19-19',
      'variable ring_instances 20-20 exported',
      'function ring_used 22-25',
      'function ring_create 27-37 exported',
      'function ring_push 41-46 exported',
    ]);
    assert.deepEqual(imports, ['1 stdlib.h', '2 string.h', '3 ring_buffer.h']);
  });

  test('C++: namespaces, templates, access sections, constructors with initialiser lists, operators, out-of-line methods, anonymous namespaces', () => {
    const { symbols, imports } = fixture('text_index.cpp');
    assert.deepEqual(symbols, [
      'module search::text 5-44 exported',
      'constant kMaxTerms 7-7 in search::text exported',
      'class TextIndex 9-24 in search::text exported',
      'method TextIndex 12-12 in TextIndex exported',
      'method ~TextIndex 13-13 in TextIndex exported',
      'method add 15-15 in TextIndex exported',
      'method contains 16-16 in TextIndex exported',
      'method operator+= 17-17 in TextIndex exported',
      'constant kLoadFactor 18-18 in TextIndex exported',
      'method rehash 21-21 in TextIndex',
      'struct Posting 26-29 in search::text exported',
      'method rehash 31-34 in TextIndex exported',
      'function normalize_term 37-37 in search::text',
      'enum TokenKind 40-40 in search::text exported',
      'type TermId 42-42 in search::text exported',
      'function main 46-48 exported',
    ]);
    assert.deepEqual(imports, ['1 string', '2 unordered_map', '3 text/text_index.h']);
  });

  test('Rust: pub decides export, impl blocks contain their methods, trait items, static mut, nested mods, use trees flattened per module', () => {
    const { symbols, imports } = fixture('invoice.rs');
    assert.deepEqual(symbols, [
      'constant MAX_LINES 6-6 exported',
      'variable INSTANCES 7-7',
      'struct Invoice 9-13 exported',
      'struct Line 15-15',
      'enum Status 17-20 exported',
      'trait Settle 22-27 exported',
      'method settle 23-23 in Settle exported',
      'method is_settled 24-26 in Settle exported',
      'method new 30-32 in Invoice exported',
      'method total 34-36 in Invoice',
      'method fmt 40-42 in Invoice exported',
      'type Ledger 45-45 exported',
      'module reports 47-51 exported',
      'function monthly 48-50 in reports exported',
    ]);
    assert.deepEqual(imports, [
      '1 std::collections: HashMap',
      '2 std::fmt: self, Display',
      '3 crate::money: Amount',
      '3 crate::money::currency: Currency',
    ]);
  });

  test('Kotlin: the package contains the declarations, expression-bodied functions across lines, companion members belong to the class, enum entries, extension functions, internal is not exported', () => {
    const { symbols, imports } = fixture('InvoiceService.kt');
    assert.deepEqual(symbols, [
      'module com.acme.billing 1-51 exported',
      'constant MAX_LINES 7-7 in com.acme.billing exported',
      'variable defaultCurrency 8-8 in com.acme.billing exported',
      'class InvoiceService 11-28 in com.acme.billing exported',
      'method find 13-14 in InvoiceService exported',
      'method settle 16-18 in InvoiceService exported',
      'method audit 20-22 in InvoiceService',
      'constant PREFIX 25-25 in InvoiceService exported',
      'method create 26-26 in InvoiceService exported',
      'class Line 30-30 in com.acme.billing exported',
      'interface Settler 32-34 in com.acme.billing exported',
      'method settle 33-33 in Settler exported',
      'enum Status 36-41 in com.acme.billing exported',
      'constant OPEN 37-37 in Status exported',
      'constant PAID 38-38 in Status exported',
      'method isFinal 40-40 in Status exported',
      'class Registry 43-45 in com.acme.billing exported',
      'method register 44-44 in Registry exported',
      'function totalWithTax 47-47 in com.acme.billing exported',
      'function parseNumber 49-49 in com.acme.billing',
      'type InvoiceHandler 51-51 in com.acme.billing exported',
    ]);
    assert.deepEqual(imports, ['3 kotlin.math: max', '4 com.acme.core: *', '5 com.acme.db: InvoiceRepository']);
  });

  test('PHP: namespaced declarations, traits, class constants, visibility, enum cases, define(), grouped use, require_once', () => {
    const { symbols, imports } = fixture('InvoiceController.php');
    assert.deepEqual(symbols, [
      'module App\\Http\\Controllers 5-68 exported',
      'constant DEFAULT_PAGE_SIZE 13-13 in App\\Http\\Controllers exported',
      'constant INVOICE_PREFIX 14-14 in App\\Http\\Controllers exported',
      'interface Settles 16-19 in App\\Http\\Controllers exported',
      'method settle 18-18 in Settles exported',
      'trait LogsActions 21-27 in App\\Http\\Controllers exported',
      'method log 23-26 in LogsActions',
      'class InvoiceController 29-57 in App\\Http\\Controllers exported',
      'constant MAX_LINES 34-34 in InvoiceController exported',
      'constant CACHE_KEY 35-35 in InvoiceController',
      'method __construct 38-41 in InvoiceController exported',
      'method show 43-46 in InvoiceController exported',
      'method settle 48-51 in InvoiceController exported',
      'method pageSize 53-56 in InvoiceController',
      'enum InvoiceStatus 59-63 in App\\Http\\Controllers exported',
      'constant Open 61-61 in InvoiceStatus exported',
      'constant Paid 62-62 in InvoiceStatus exported',
      'function invoice_url 65-68 in App\\Http\\Controllers exported',
    ]);
    assert.deepEqual(imports, [
      '7 App\\Models: Invoice',
      '8 App\\Services: InvoiceService, PdfRenderer',
      '9 App\\Support: money_format',
      '11 /../helpers.php',
    ]);
  });
});

describe('extractSymbols details', () => {
  test('a symbol starts at its first decorator and its column is that of its first token', () => {
    const { symbols } = extract('a.ts', 'export class A {\n  @Input()\n  @Other() set value(v: string) {}\n}\n');
    const member = symbols.find((s) => s.name === 'value');
    assert.deepEqual(member, { name: 'value', kind: 'method', startLine: 2, endLine: 3, startColumn: 2, exported: true, container: 'A' });
  });

  test('the result is plain JSON: serialising and parsing it gives it back unchanged', () => {
    const result = extract('a.ts', "import x from 'y';\nexport function f() {}\n");
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
    assert.equal(Object.hasOwn(result.symbols[0]!, 'container'), false, 'no container key when there is none');
  });

  test('statements that declare nothing (calls, ifs, loops) yield no symbols', () => {
    assert.deepEqual(inline('a.js', 'if (x) {\n  run();\n}\nfor (const a of b) call(a);\nmain();\n').symbols, []);
  });

  test('TypeScript: `declare`, `abstract`, const enums, default-exported anonymous functions, and `export =` are handled', () => {
    const { symbols } = inline(
      'a.ts',
      'declare const VERSION: string;\nexport abstract class Base {\n  protected abstract run(): void;\n}\nexport const enum Flags { A }\nexport default function () {}\n',
    );
    assert.deepEqual(symbols, [
      'constant VERSION 1-1',
      'class Base 2-4 exported',
      'method run 3-3 in Base',
      'enum Flags 5-5 exported',
      'function default 6-6 exported',
    ]);
  });

  test('`export default name;` exports a declaration made earlier in the file', () => {
    assert.deepEqual(inline('a.d.ts', 'declare const _default: { a: 1 };\nexport default _default;\n').symbols, [
      'constant _default 1-1 exported',
    ]);
  });

  test('Python: names assigned or imported inside module-level if/try blocks are module-level; class attributes are not symbols', () => {
    const { symbols, imports } = inline(
      'a.py',
      'try:\n    import ujson as json\nexcept ImportError:\n    json = None\n\nclass A:\n    x = 1\n    def f(self): return self.x\n',
    );
    assert.deepEqual(symbols, ['variable json 4-4 exported', 'class A 6-8 exported', 'method f 8-8 in A exported']);
    assert.deepEqual(imports, ['2 ujson: *']);
  });

  test('Ruby: a modifier `if` or `unless` needs no `end`, a leading `if` and an assigned `if` do', () => {
    const source =
      'class A\n  def f\n    return 1 if x\n    y = if z then 2 else 3 end\n    if w\n      4\n    end\n  end\n  def g; end\nend\n';
    assert.deepEqual(inline('a.rb', source).symbols, ['class A 1-10 exported', 'method f 2-8 in A exported', 'method g 9-9 in A exported']);
  });

  test('C: a macro invocation with a block (`TEST(a, b) { }`) is not a function and does not swallow what follows', () => {
    const { symbols } = inline('a.cc', 'TEST(Suite, Case) {\n  EXPECT_EQ(1, 1);\n}\nint after(void) { return 0; }\n');
    assert.deepEqual(symbols, ['function after 4-4 exported']);
  });

  test('Go: every name of a multi-name spec is a symbol, and `_` is not', () => {
    assert.deepEqual(inline('a.go', 'package a\n\nvar A, _, c = 1, 2, 3\n').symbols, ['variable A 3-3 exported', 'variable c 3-3']);
  });

  test('C#: a file-scoped namespace contains every type after it', () => {
    const { symbols } = inline('a.cs', 'namespace Acme.Core;\n\npublic class A { }\ninternal class B { }\n');
    assert.deepEqual(symbols, ['module Acme.Core 1-4 exported', 'class A 3-3 in Acme.Core exported', 'class B 4-4 in Acme.Core']);
  });

  test('every language copes with an empty file and with every truncation of its fixture: no throw, ranges ordered and within the file', () => {
    const fixtures = [
      'user-service.ts',
      'user-card.tsx',
      'legacy-store.js',
      'billing.py',
      'billing.rb',
      'InvoiceService.java',
      'invoice.go',
    ];
    fixtures.push('InvoiceService.cs', 'ring_buffer.c', 'text_index.cpp', 'invoice.rs', 'InvoiceService.kt', 'InvoiceController.php');
    for (const name of fixtures) {
      const lines = fixtureText(name).split('\n');
      for (let cut = 0; cut <= lines.length; cut++) {
        const text = lines.slice(0, cut).join('\n');
        const { symbols, imports } = extract(name, text);
        for (const s of symbols) {
          assert.ok(
            s.startLine >= 1 && s.startLine <= s.endLine && s.endLine <= Math.max(cut, 1),
            `${name} cut at ${cut}: ${s.name} ${s.startLine}-${s.endLine}`,
          );
        }
        for (const i of imports) assert.ok(i.line >= 1 && i.line <= Math.max(cut, 1), `${name} cut at ${cut}: import ${i.module}`);
      }
    }
  });

  test('pathological nesting (5,000 nested namespaces, modules or classes) neither throws nor exhausts the stack', () => {
    const depth = 5000;
    const nests: [string, (i: number) => string][] = [
      ['a.ts', (i) => `namespace N${i} {`],
      ['a.cpp', (i) => `namespace n${i} {`],
      ['a.rs', (i) => `mod m${i} {`],
      ['A.java', (i) => `class C${i} {`],
      ['A.cs', (i) => `namespace N${i} {`],
      ['A.kt', (i) => `class C${i} {`],
    ];
    for (const [path, open] of nests) {
      const text = Array.from({ length: depth }, (_, i) => open(i)).join('\n') + '\n' + '}'.repeat(depth);
      const { symbols } = extract(path, text);
      assert.ok(symbols.length > 0 && symbols.length < depth, `${path}: outer levels read, deepest skipped (${symbols.length})`);
    }
  });
});
