/*
 * A small TypeScript project for the MCP tests: one function copied with renamed identifiers
 * (a Type-2 clone class), a few named declarations, kebab-case file names with one exception.
 */

/** The function the agent "already has": 13 lines, well above the 50-token minimum. */
export const SUM_OF_SQUARES = `export function sumOfSquares(values: number[]): number {
  let total = 0;
  for (const value of values) {
    if (Number.isNaN(value)) {
      throw new Error('not a number: ' + String(value));
    }
    const squared = value * value;
    total += squared;
  }
  if (total > 1000) {
    console.log('large total', total);
  }
  return total;
}
`;

/** The same function under other names: what a careless agent would write again. */
export const SUM_OF_SQUARES_RENAMED = SUM_OF_SQUARES.replace('sumOfSquares', 'squareTotal')
  .replaceAll('values', 'numbers')
  .replaceAll('value', 'item')
  .replaceAll('total', 'sum');

/** Code like nothing in the fixture. */
export const NOVEL_CODE = `export async function fetchWeather(city: string, units: 'metric' | 'imperial'): Promise<string> {
  const response = await fetch('https://weather.example.com/' + encodeURIComponent(city) + '?units=' + units);
  if (!response.ok) {
    return 'unknown weather for ' + city + ' (' + response.status + ')';
  }
  const body = (await response.json()) as { summary: string; temperature: number };
  return city + ': ' + body.summary + ', ' + body.temperature + (units === 'metric' ? ' C' : ' F');
}
`;

/** Small kebab-case modules of camelCase functions: enough samples for the conventions to be learned. */
const UNITS = ['meters', 'seconds', 'grams', 'litres', 'volts', 'watts', 'pixels', 'bytes', 'degrees', 'newtons'];
const unitFiles = Object.fromEntries(
  UNITS.map((unit) => [
    `src/units/${unit}-unit.ts`,
    `export function parse${unit[0]?.toUpperCase()}${unit.slice(1)}(text: string): number {\n  return Number.parseFloat(text);\n}\n\n` +
      `export function print${unit[0]?.toUpperCase()}${unit.slice(1)}(value: number): string {\n  return value + ' ${unit}';\n}\n`,
  ]),
);

export const FIXTURE_FILES: Record<string, string> = {
  ...unitFiles,
  'src/math/sum-of-squares.ts': SUM_OF_SQUARES,
  'src/report/square-total.ts': `import { format } from './format-number';\n\n${SUM_OF_SQUARES_RENAMED}\nexport const label = format(1);\n`,
  'src/report/format-number.ts': `export function formatNumber(value: number): string {\n  return value.toFixed(2);\n}\n\nexport const format = formatNumber;\n`,
  'src/users/user-service.ts': `export class UserService {\n  private readonly users = new Map<string, string>();\n\n  getUserById(id: string): string | undefined {\n    return this.users.get(id);\n  }\n\n  addUser(id: string, name: string): void {\n    this.users.set(id, name);\n  }\n}\n`,
  'src/users/user-names.ts': `export function normaliseUserName(name: string): string {\n  return name.trim().toLowerCase();\n}\n\nexport function isValidUserName(name: string): boolean {\n  return normaliseUserName(name).length > 2;\n}\n`,
  'src/users/UserRoles.ts': `export function listUserRoles(): string[] {\n  return ['admin', 'member'];\n}\n\nexport function Has_Role(roles: string[], role: string): boolean {\n  return roles.includes(role);\n}\n`,
};
