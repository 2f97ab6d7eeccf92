import type { CloneClass } from './clones/clone-classes.js';
import { CloneIndex, type SimilarMatch, type SimilarOptions } from './clones/clone-index.js';
import type { FileRecord } from './clones/file-record.js';
import type { CloneOptions } from './clones/options.js';
import { ConventionModel, type Convention, type ConventionFinding, type ConventionOptions } from './symbols/conventions.js';
import { SymbolIndex, type SymbolMatch, type SymbolSearchOptions } from './symbols/symbol-search.js';

/**
 * Everything the engine knows about one codebase: its clone index, its symbols and the
 * conventions learned from them — all kept current file by file from the same prepared records.
 * This is what the backend holds per project and what `auxil analyze` builds.
 */
export class ProjectModel {
  readonly clones: CloneIndex;
  private readonly symbols = new SymbolIndex();
  private readonly conventionModel: ConventionModel;

  constructor(options: { clones?: Partial<CloneOptions>; conventions?: Partial<ConventionOptions> } = {}) {
    this.clones = new CloneIndex(options.clones);
    this.conventionModel = new ConventionModel(options.conventions);
  }

  get size(): number {
    return this.clones.size;
  }

  /** Adds or replaces a file for bulk loading: clones are matched on the next question. */
  add(record: FileRecord): void {
    this.clones.add(record);
    this.index(record);
  }

  /** Removes a file without matching anything (bulk changes); the next question settles the rest. */
  remove(path: string): void {
    this.clones.remove(path);
    this.symbols.remove(path);
    this.conventionModel.remove(path);
  }

  /**
   * Adds, replaces or removes (undefined) one file and matches it at once; returns every path
   * whose clone classes may have changed.
   */
  update(path: string, record: FileRecord | undefined): Set<string> {
    const affected = this.clones.update(path, record);
    if (record) this.index(record);
    else {
      this.symbols.remove(path);
      this.conventionModel.remove(path);
    }
    return affected;
  }

  classesOf(path: string): CloneClass[] {
    return this.clones.classesOf(path);
  }

  classes(): CloneClass[] {
    return this.clones.classes();
  }

  similarTo(query: FileRecord, options?: SimilarOptions): SimilarMatch[] {
    return this.clones.similarTo(query, options);
  }

  searchSymbols(query: string, options?: SymbolSearchOptions): SymbolMatch[] {
    return this.symbols.search(query, options);
  }

  conventions(): Convention[] {
    return this.conventionModel.conventions();
  }

  deviations(path: string): ConventionFinding[] {
    return this.conventionModel.deviations(path);
  }

  private index(record: FileRecord): void {
    this.symbols.set(record.path, record.symbols);
    this.conventionModel.set(record.path, record.language, record.symbols);
  }
}
