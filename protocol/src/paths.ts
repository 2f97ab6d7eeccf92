import { z } from 'zod';

/** Longest project-relative path Auxil accepts, in UTF-16 code units. */
export const MAX_PATH_LENGTH = 1024;
/** Longest single path segment, matching common file system limits. */
export const MAX_SEGMENT_LENGTH = 255;

/** Why a project-relative path was refused; each reason has a message a person can act on. */
export type PathProblem =
  'empty' | 'too-long' | 'absolute' | 'traversal' | 'nul-byte' | 'control-character' | 'backslash' | 'empty-segment' | 'segment-too-long';

const problemMessages: Record<PathProblem, string> = {
  empty: 'the file path is empty',
  'too-long': `the file path is longer than ${MAX_PATH_LENGTH} characters`,
  absolute: "the file path must be relative to the project root (no leading '/' and no drive letter such as 'C:')",
  traversal: "the file path must not contain '.' or '..' segments",
  'nul-byte': 'the file path contains a NUL byte',
  'control-character': 'the file path contains a control character or a line separator',
  backslash: "the file path must use '/' as its separator, not '\\'",
  'empty-segment': "the file path contains an empty segment ('//')",
  'segment-too-long': `a segment of the file path is longer than ${MAX_SEGMENT_LENGTH} characters`,
};

/** A human-readable explanation of a path problem. */
export function describePathProblem(problem: PathProblem): string {
  return problemMessages[problem];
}

/**
 * Checks a project-relative file path (segments joined by '/'). Paths are the identity of a file
 * in a project, so the rules are strict and the same on every side: the language server checks
 * before sending, the backend checks at its edge.
 */
export function checkProjectPath(path: string): PathProblem | undefined {
  if (path.length === 0) return 'empty';
  if (path.length > MAX_PATH_LENGTH) return 'too-long';
  if (path.includes('\0')) return 'nul-byte';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here.
  if (/[\u0001-\u001f\u007f-\u009f\u2028\u2029]/.test(path)) return 'control-character';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute';
  if (path.includes('\\')) return 'backslash';
  for (const segment of path.split('/')) {
    if (segment === '') return 'empty-segment';
    if (segment === '.' || segment === '..') return 'traversal';
    if (segment.length > MAX_SEGMENT_LENGTH) return 'segment-too-long';
  }
  return undefined;
}

/** A file's path relative to its project root, with '/' separators. */
export const ProjectPath = z.string().superRefine((path, ctx) => {
  const problem = checkProjectPath(path);
  if (problem) ctx.addIssue({ code: 'custom', message: describePathProblem(problem) });
});
export type ProjectPath = z.infer<typeof ProjectPath>;

/** A project's name within its tenant: what URLs and the extension's `auxil.project` use. */
export const ProjectName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    'a project name is 1-100 characters of letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
export type ProjectName = z.infer<typeof ProjectName>;

/**
 * File extensions the backend analyses. Clients use this list to decide which files are worth
 * sending; the backend's engine keeps its own table and a test checks the two agree.
 */
export const ANALYSED_EXTENSIONS: readonly string[] = [
  'ts',
  'tsx',
  'mts',
  'cts',
  'js',
  'jsx',
  'mjs',
  'cjs',
  'py',
  'pyi',
  'java',
  'go',
  'cs',
  'c',
  'h',
  'cc',
  'cpp',
  'cxx',
  'hpp',
  'hh',
  'hxx',
  'c++',
  'rs',
  'kt',
  'kts',
  'php',
  'phtml',
  'rb',
  'rake',
  'gemspec',
];
