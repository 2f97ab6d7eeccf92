import { isPlainIdentifier } from '../tokens/token-scanner.js';
import type { SeededRandom } from './seeded-random.js';

// Plain English words for invented names and string contents; none is a JavaScript keyword.
const WORDS = [
  'amount',
  'anchor',
  'basket',
  'batch',
  'beacon',
  'bucket',
  'buffer',
  'cache',
  'cargo',
  'cursor',
  'delta',
  'digest',
  'draft',
  'entry',
  'facet',
  'field',
  'filter',
  'focus',
  'frame',
  'gauge',
  'handle',
  'harbor',
  'index',
  'input',
  'ledger',
  'limit',
  'marker',
  'metric',
  'mirror',
  'needle',
  'offset',
  'option',
  'output',
  'packet',
  'parcel',
  'pivot',
  'quota',
  'record',
  'region',
  'result',
  'sample',
  'scope',
  'signal',
  'source',
  'stack',
  'store',
  'stream',
  'target',
  'ticket',
  'token',
  'track',
  'unit',
  'value',
  'vector',
  'window',
  'widget',
];

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** Invents identifiers that collide with nothing already used in a piece of code. */
export class NameMaker {
  private readonly taken: Set<string>;

  constructor(
    private readonly random: SeededRandom,
    existingCode: string,
  ) {
    this.taken = new Set(existingCode.match(/[A-Za-z_$][\w$]*/g) ?? []);
  }

  /** A fresh camelCase (or PascalCase) name such as `bucketOffset`. */
  fresh(pascal = false): string {
    for (let attempt = 0; ; attempt++) {
      const first = this.random.pick(WORDS);
      const name = `${pascal ? capitalise(first) : first}${capitalise(this.random.pick(WORDS))}${attempt > 20 ? attempt : ''}`;
      if (!this.taken.has(name) && isPlainIdentifier(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }

  /** A short phrase for a string literal's new content (letters and spaces only, so it needs no escaping). */
  phrase(): string {
    return this.random.chance(0.5) ? this.random.pick(WORDS) : `${this.random.pick(WORDS)} ${this.random.pick(WORDS)}`;
  }
}
