import { AuxilError } from '../errors.js';
import { TOOLSETS, type Toolset } from './mcp-session.js';

/**
 * The toolsets a client asked for (`?toolsets=search,duplicates`, the X-Auxil-Toolsets header or
 * `auxil mcp --toolsets`); undefined when it asked for none, which means all of them.
 */
export function parseToolsets(value: unknown): ReadonlySet<Toolset> | undefined {
  if (value === undefined) return undefined;
  const parts: unknown[] = Array.isArray(value) ? value : [value];
  if (parts.some((part) => typeof part !== 'string'))
    throw new AuxilError('invalid_request', 'toolsets is a comma-separated list of names');
  const text = parts.join(',');
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) return undefined;
  const unknown = names.find((name) => !(TOOLSETS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new AuxilError('invalid_request', `unknown toolset "${unknown}"; choose from ${TOOLSETS.join(', ')}`);
  return new Set(names as Toolset[]);
}
