import type { LanguageId } from '../lexing/tokens.js';
import {
  componentLocationMessage,
  namingMessage,
  fileNamingMessage,
  testLocationMessage,
  type ComponentLesson,
} from './convention-messages.js';
import { Tally, strongestRule, type RuleThresholds } from './convention-tally.js';
import {
  componentLocationOf,
  componentOf,
  familyOf,
  fileNameOf,
  folderOf,
  isTestFile,
  testLocationOf,
  type ComponentLocation,
  type LanguageFamily,
  type TestLocation,
} from './file-roles.js';
import { NAMING_STYLES, compatibleStyles, fileNameStyle, fileStem, namingStyle, type NamingStyle } from './naming.js';
import type { FileSymbols, SymbolInfo, SymbolKind } from './symbol-types.js';

export interface ConventionOptions {
  /** Least share of samples that must follow a convention for it to be a rule (default 0.9). */
  readonly minShare: number;
  /** Least number of samples behind a naming or location rule (default 10). */
  readonly minSamples: number;
  /** Least number of files (direct children of one language family) behind a folder's file-naming rule (default 5). */
  readonly minFolderFiles: number;
  /**
   * Least number of names spelled in the expected style itself (default 3): single lowercase
   * words fit camelCase and snake_case alike, so a rule needs some names that tell them apart.
   */
  readonly minDistinct: number;
}

export const defaultConventionOptions: ConventionOptions = { minShare: 0.9, minSamples: 10, minFolderFiles: 5, minDistinct: 3 };

/** What a convention is about. */
export type ConventionScope =
  | { readonly language: LanguageId; readonly kind: SymbolKind }
  | { readonly folder: string; readonly family: LanguageFamily }
  | { readonly family: LanguageFamily }
  | { readonly role: 'test' | 'component'; readonly family: LanguageFamily };

export type ConventionRule = 'naming' | 'file-naming' | 'location';

/** A rule the codebase follows, with its evidence. */
export interface Convention {
  /** Stable identifier: `naming:typescript:function`, `file-naming:folder:javascript:src/api`, `location:test:python`. */
  readonly id: string;
  readonly scope: ConventionScope;
  readonly rule: ConventionRule;
  /** The naming style (`camelCase`) or location (`test-folder`, `colocated`, `components-folder`) the codebase uses. */
  readonly expected: string;
  /** Samples that follow it. */
  readonly count: number;
  /** Samples considered. */
  readonly total: number;
  /** `count / total`. */
  readonly share: number;
}

/** A place where a file breaks a convention its codebase follows. */
export interface ConventionFinding {
  readonly path: string;
  /** 1-based line: the symbol's first line, or 1 for the file's name and location. */
  readonly line: number;
  /** 0-based column of the symbol's declaration, for naming findings. */
  readonly column?: number;
  readonly rule: ConventionRule;
  readonly conventionId: string;
  /** What is wrong and what the codebase does instead, with the counts. */
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
  readonly evidence: { readonly count: number; readonly total: number };
}

/** What one file contributes to the tallies; applied with +1 when set and with -1 when replaced or removed. */
interface FileFacts {
  readonly path: string;
  readonly language: LanguageId;
  readonly family: LanguageFamily;
  readonly folderKey: string;
  readonly familyKey: string;
  readonly fileStyle: NamingStyle | undefined;
  readonly samples: readonly NameSample[];
  readonly test: TestLocation | undefined;
  readonly component: { readonly name: string; readonly location: ComponentLocation } | undefined;
}

interface NameSample {
  readonly key: string;
  readonly symbol: SymbolInfo;
  readonly style: NamingStyle;
  readonly fits: readonly NamingStyle[];
}

interface TallyEntry {
  readonly tally: Tally;
  readonly scope: ConventionScope;
  readonly rule: ConventionRule;
}

const STYLE_CANDIDATES = NAMING_STYLES.filter((style) => style !== 'lowercase' && style !== 'mixed');
const TEST_LOCATIONS: readonly TestLocation[] = ['test-folder', 'colocated'];
const COMPONENT_LOCATIONS: readonly ComponentLocation[] = ['components-folder', 'elsewhere'];

/**
 * Conventions learned from a codebase: naming style per language and symbol kind, file naming per
 * folder (and per language family for folders too small to have their own), where test files
 * live, and where React components live. Incremental: `set` and `remove` adjust counters by one
 * file's facts, so an update costs O(that file's symbols); the list of conventions is rebuilt
 * lazily from the counters when asked for after a change.
 */
export class ConventionModel {
  private readonly options: ConventionOptions;
  private readonly files = new Map<string, FileFacts>();
  private readonly tallies = new Map<string, TallyEntry>();
  private cached: Convention[] | undefined;

  constructor(options: Partial<ConventionOptions> = {}) {
    this.options = { ...defaultConventionOptions, ...options };
  }

  /** Replaces what the file at `path` contributes. */
  set(path: string, language: LanguageId, symbols: FileSymbols): void {
    this.remove(path);
    const facts = factsOf(path, language, symbols);
    this.files.set(path, facts);
    this.apply(facts, 1);
  }

  remove(path: string): void {
    const facts = this.files.get(path);
    if (facts === undefined) return;
    this.files.delete(path);
    this.apply(facts, -1);
  }

  /** Every rule the codebase follows strongly enough, ordered by id. */
  conventions(): Convention[] {
    if (this.cached === undefined) {
      this.cached = [];
      for (const key of [...this.tallies.keys()].sort()) {
        const convention = this.evaluate(key);
        if (convention !== undefined) this.cached.push(convention);
      }
    }
    return [...this.cached];
  }

  /** The file's deviations from the codebase's conventions, by line. */
  deviations(path: string): ConventionFinding[] {
    const facts = this.files.get(path);
    if (facts === undefined) return [];
    const findings: ConventionFinding[] = [];
    for (const sample of facts.samples) {
      const convention = this.evaluate(sample.key);
      if (convention === undefined || sample.fits.includes(convention.expected as NamingStyle)) continue;
      findings.push(
        finding(
          facts,
          convention,
          sample.symbol.startLine,
          sample.style,
          namingMessage(sample.symbol, facts.language, sample.style, convention),
          sample.symbol.startColumn,
        ),
      );
    }
    this.fileNamingFinding(facts, findings);
    if (facts.test !== undefined) {
      const convention = this.evaluate(`location:test:${facts.family}`);
      if (convention !== undefined && convention.expected !== facts.test) {
        findings.push(finding(facts, convention, 1, facts.test, testLocationMessage(path, facts.family, facts.test, convention)));
      }
    }
    if (facts.component !== undefined) {
      const convention = this.evaluate(`location:component:${facts.family}`);
      if (convention !== undefined && convention.expected !== facts.component.location) {
        const lesson: ComponentLesson = { path, name: facts.component.name, actual: facts.component.location };
        findings.push(finding(facts, convention, 1, facts.component.location, componentLocationMessage(lesson, convention)));
      }
    }
    return findings.sort((a, b) => a.line - b.line || (a.column ?? -1) - (b.column ?? -1) || a.conventionId.localeCompare(b.conventionId));
  }

  /** A folder with enough files of the family is judged by its own rule; a smaller one by the family's. */
  private fileNamingFinding(facts: FileFacts, findings: ConventionFinding[]): void {
    if (facts.fileStyle === undefined) return;
    const folderTally = this.tallies.get(facts.folderKey)?.tally;
    const key = folderTally !== undefined && folderTally.total >= this.options.minFolderFiles ? facts.folderKey : facts.familyKey;
    const convention = this.evaluate(key);
    if (
      convention === undefined ||
      compatibleStyles(facts.fileStyle, fileStem(fileNameOf(facts.path))).includes(convention.expected as NamingStyle)
    )
      return;
    findings.push(finding(facts, convention, 1, facts.fileStyle, fileNamingMessage(facts.path, facts.fileStyle, convention)));
  }

  private evaluate(key: string): Convention | undefined {
    const entry = this.tallies.get(key);
    if (entry === undefined) return undefined;
    const { tally, scope, rule } = entry;
    const options = this.options;
    const isFolder = 'folder' in scope;
    const thresholds: RuleThresholds = {
      minShare: options.minShare,
      minSamples: isFolder ? options.minFolderFiles : options.minSamples,
      minDistinct: rule === 'location' ? 1 : Math.min(options.minDistinct, isFolder ? options.minFolderFiles : options.minSamples),
    };
    const candidates =
      rule === 'location' ? ('role' in scope && scope.role === 'test' ? TEST_LOCATIONS : COMPONENT_LOCATIONS) : STYLE_CANDIDATES;
    const found = strongestRule(tally, candidates, thresholds);
    if (found === undefined) return undefined;
    return {
      id: key,
      scope,
      rule,
      expected: found.expected,
      count: found.count,
      total: tally.total,
      share: Math.round((found.count / tally.total) * 1000) / 1000,
    };
  }

  private apply(facts: FileFacts, sign: 1 | -1): void {
    this.cached = undefined;
    const { language, family } = facts;
    for (const sample of facts.samples) {
      this.tally(sample.key, { language, kind: sample.symbol.kind }, 'naming', sign).add(sample.style, sample.fits, sign);
    }
    if (facts.fileStyle !== undefined) {
      const fits = compatibleStyles(facts.fileStyle, fileStem(fileNameOf(facts.path)));
      this.tally(facts.folderKey, { folder: folderOf(facts.path), family }, 'file-naming', sign).add(facts.fileStyle, fits, sign);
      this.tally(facts.familyKey, { family }, 'file-naming', sign).add(facts.fileStyle, fits, sign);
    }
    if (facts.test !== undefined)
      this.tally(`location:test:${family}`, { role: 'test', family }, 'location', sign).add(facts.test, [facts.test], sign);
    if (facts.component !== undefined) {
      const location = facts.component.location;
      this.tally(`location:component:${family}`, { role: 'component', family }, 'location', sign).add(location, [location], sign);
    }
    if (sign < 0) for (const [key, entry] of this.keysOf(facts)) if (entry.tally.total === 0) this.tallies.delete(key);
  }

  private *keysOf(facts: FileFacts): Generator<[string, TallyEntry]> {
    const keys = new Set([
      ...facts.samples.map((s) => s.key),
      facts.folderKey,
      facts.familyKey,
      `location:test:${facts.family}`,
      `location:component:${facts.family}`,
    ]);
    for (const key of keys) {
      const entry = this.tallies.get(key);
      if (entry !== undefined) yield [key, entry];
    }
  }

  private tally(key: string, scope: ConventionScope, rule: ConventionRule, sign: 1 | -1): Tally {
    let entry = this.tallies.get(key);
    if (entry === undefined) {
      entry = { tally: new Tally(), scope, rule };
      if (sign > 0) this.tallies.set(key, entry);
    }
    return entry.tally;
  }
}

function finding(
  facts: FileFacts,
  convention: Convention,
  line: number,
  actual: string,
  message: string,
  column?: number,
): ConventionFinding {
  return {
    path: facts.path,
    line,
    ...(column === undefined ? {} : { column }),
    rule: convention.rule,
    conventionId: convention.id,
    message,
    expected: convention.expected,
    actual,
    evidence: { count: convention.count, total: convention.total },
  };
}

/** A symbol or file name the naming rules can judge: letters, digits and underscores, with the usual sigils. */
const JUDGED_NAME = /^[$#_]*[\p{L}][\p{L}\p{N}_]*[$_?!=]?$/u;

function factsOf(path: string, language: LanguageId, symbols: FileSymbols): FileFacts {
  const family = familyOf(language);
  const folder = folderOf(path);
  const test = isTestFile(path);
  const fileName = fileNameOf(path);
  const fileStyle = fileNameStyle(fileName);
  const component = family === 'javascript' ? componentOf(path, symbols.symbols) : undefined;
  return {
    path,
    language,
    family,
    folderKey: `file-naming:folder:${family}:${folder}`,
    familyKey: `file-naming:${family}`,
    fileStyle: fileStyle === 'mixed' && !/[\p{L}]/u.test(fileName) ? undefined : fileStyle,
    // Test code names things its own way (`test_parses_empty_input`, `Method_Scenario_Result`): it teaches no rule and breaks none.
    samples: test ? [] : symbols.symbols.flatMap((symbol) => sampleOf(symbol, language)),
    test: test ? testLocationOf(path) : undefined,
    component: component === undefined ? undefined : { name: component, location: componentLocationOf(path) },
  };
}

function sampleOf(symbol: SymbolInfo, language: LanguageId): NameSample[] {
  // Qualified names (`app::core`, `Acme.Billing`, `App\Http`) are judged by their last part.
  const name = symbol.name.split(/::|\.|\\/).pop() ?? symbol.name;
  if (!JUDGED_NAME.test(name) || /^__\w+__$/.test(name)) return [];
  if (symbol.kind === 'method' && (name === symbol.container || name === 'constructor')) return [];
  if (name === 'default' && (language === 'typescript' || language === 'javascript')) return [];
  const style = namingStyle(name);
  return [{ key: `naming:${language}:${symbol.kind}`, symbol, style, fits: fitsOf(style, name, language) }];
}

/** The styles a name fits; in Go, capitalisation is visibility, not style, so camelCase and PascalCase fit each other. */
function fitsOf(style: NamingStyle, name: string, language: LanguageId): readonly NamingStyle[] {
  const fits = compatibleStyles(style, name);
  if (language !== 'go' || !fits.some((fit) => fit === 'camelCase' || fit === 'PascalCase')) return fits;
  return [...new Set<NamingStyle>([...fits, 'camelCase', 'PascalCase'])];
}
