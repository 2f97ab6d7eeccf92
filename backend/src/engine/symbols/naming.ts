/** How a name is spelled. `lowercase` is a single lowercase word: it fits camelCase, snake_case and kebab-case alike. */
export type NamingStyle = 'camelCase' | 'PascalCase' | 'snake_case' | 'UPPER_CASE' | 'kebab-case' | 'lowercase' | 'mixed';

/** Every style, in the order ties between equally supported styles are broken. */
export const NAMING_STYLES: readonly NamingStyle[] = [
  'camelCase',
  'PascalCase',
  'snake_case',
  'UPPER_CASE',
  'kebab-case',
  'lowercase',
  'mixed',
];

/**
 * The naming style of a symbol name. Sigils and affixes that carry meaning rather than style are
 * ignored: leading `$`, `_` and `#` (PHP variables, private markers, `__init__`), trailing `_`
 * (Python's `class_`) and a trailing `?`, `!` or `=` (Ruby's `valid?`, `save!`, `name=`). Digits
 * count as part of the word they touch (`utf8`, `md5Hash`, `V2_API`). A name with no letter left
 * is `mixed`.
 */
export function namingStyle(name: string): NamingStyle {
  return classify(trimAffixes(name));
}

/**
 * The naming style of a file name: the part before the first dot (`user.service.ts` and
 * `user.test.ts` are classified by `user`, `UserCard.tsx` by `UserCard`), leading dots,
 * leading digits (`001_init.py`) and leading or trailing underscores ignored (`.eslintrc`,
 * `_app.tsx`, `__init__.py`). A directory
 * part, if given, is dropped.
 */
export function fileNameStyle(fileName: string): NamingStyle {
  return classify(fileStem(fileName).replace(/^[\d_-]+|_+$/g, ''));
}

/** The part of a file name that carries its style: after the last `/` or `\`, before the first dot (leading dots skipped). */
export function fileStem(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).replace(/^\.+/, '');
  const dot = base.indexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
}

/**
 * The styles a name satisfies: its own, plus the ones it is ambiguous with. A single lowercase
 * word fits camelCase, snake_case and kebab-case; a single all-caps word (`ID`, `URL`, `T`) is
 * UPPER_CASE and also an acceptable PascalCase (an acronym type name).
 */
export function compatibleStyles(style: NamingStyle, name: string): readonly NamingStyle[] {
  if (style === 'lowercase') return LOWERCASE_FITS;
  if (style === 'UPPER_CASE' && !trimAffixes(name).includes('_')) return UPPER_WORD_FITS;
  return [style];
}

const LOWERCASE_FITS: readonly NamingStyle[] = ['lowercase', 'camelCase', 'snake_case', 'kebab-case'];
const UPPER_WORD_FITS: readonly NamingStyle[] = ['UPPER_CASE', 'PascalCase'];

function trimAffixes(name: string): string {
  return name
    .replace(/^[$_#]+/, '')
    .replace(/[?!=]$/, '')
    .replace(/_+$/, '');
}

function classify(word: string): NamingStyle {
  let upper = 0;
  let lower = 0;
  let underscore = false;
  let hyphen = false;
  let other = false;
  for (const char of word) {
    if (char === '_') underscore = true;
    else if (char === '-') hyphen = true;
    else if (char >= '0' && char <= '9') continue;
    else if (char !== char.toLowerCase()) upper++;
    else if (char !== char.toUpperCase()) lower++;
    else if (/[\p{L}\p{N}]/u.test(char)) lower++;
    else other = true;
  }
  if (other || upper + lower === 0 || (underscore && hyphen)) return 'mixed';
  if (!/^[\p{L}]/u.test(word)) return 'mixed';
  if (hyphen) return upper === 0 && !/--|-$/.test(word) ? 'kebab-case' : 'mixed';
  if (underscore) {
    if (upper === 0) return 'snake_case';
    return lower === 0 ? 'UPPER_CASE' : 'mixed';
  }
  if (upper === 0) return 'lowercase';
  if (lower === 0) return 'UPPER_CASE';
  const first = word[0]!;
  return first !== first.toLowerCase() ? 'PascalCase' : 'camelCase';
}
