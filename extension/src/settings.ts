/**
 * Every setting of the extension, declared once. package.json's `contributes.configuration` is
 * generated from this table (see contributions.ts) and extension/test/manifest.test.ts fails when
 * they drift; config.ts reads the values with the types derived from it.
 */
const severity = (defaultValue: string, what: string) =>
  ({
    type: 'string',
    enum: ['error', 'warning', 'information', 'hint', 'off'],
    default: defaultValue,
    description: `Severity of ${what} in the Problems panel; "off" hides them.`,
  }) as const;

export const settings = {
  'auxil.serverUrl': {
    type: 'string',
    default: 'http://127.0.0.1:7600',
    description: 'URL of the Auxil backend. A backend on this machine (127.0.0.1 or localhost) is signed in to automatically.',
  },
  'auxil.project': {
    type: 'string',
    default: '',
    description: "Project name on the backend. Empty: the workspace folder's name.",
  },
  'auxil.exclude': {
    type: 'array',
    items: { type: 'string' },
    default: [],
    description:
      'Glob patterns (gitignore syntax, relative to the workspace folder) of files never sent to the backend, on top of .gitignore.',
  },
  'auxil.severity.type1': severity('warning', 'identical copies (Type 1 clones)'),
  'auxil.severity.type2': severity('warning', 'copies with renamed identifiers or literals (Type 2 clones)'),
  'auxil.severity.type3': severity('information', 'near-miss copies with statements changed, added or removed (Type 3 clones)'),
  'auxil.severity.convention': severity('information', "deviations from the codebase's own conventions"),
  'auxil.minTokens': {
    type: 'number',
    default: 50,
    minimum: 10,
    maximum: 1000,
    description: 'Shortest duplicated fragment, in tokens, that is reported.',
  },
  'auxil.diagnostics.closedFiles': {
    type: 'boolean',
    default: true,
    description: 'Also show findings for files that are not open in an editor.',
  },
  'auxil.debounceMs': {
    type: 'number',
    default: 100,
    minimum: 0,
    maximum: 10000,
    description: 'Milliseconds to wait after the last keystroke before sending a file for analysis.',
  },
} as const;

export type SettingKey = keyof typeof settings;

/** The TypeScript type of a setting's value, derived from its declaration. */
export type SettingValue<K extends SettingKey> = (typeof settings)[K] extends { enum: readonly (infer E)[] }
  ? E
  : (typeof settings)[K]['type'] extends 'string'
    ? string
    : (typeof settings)[K]['type'] extends 'number'
      ? number
      : (typeof settings)[K]['type'] extends 'boolean'
        ? boolean
        : string[];
