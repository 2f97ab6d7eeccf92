import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { MAX_FILE_BYTES } from '@auxil/protocol';
import { z } from 'zod';

/**
 * A whole number from an environment variable or a flag: only decimal digits, so "1e3", "0x10"
 * or "8080abc" are refused instead of being read as something else.
 */
function integer(min: number, max: number, fallback: number) {
  return z
    .preprocess(
      (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
      z.number().int().min(min).max(max),
    )
    .default(fallback);
}

/**
 * One declaration per setting: its schema (with the default), the environment variable that sets
 * it, and a line of documentation. docs/configuration.md is written from this table, and a test
 * checks the two agree.
 */
export const configEntries = {
  host: {
    env: 'AUXIL_HOST',
    doc: 'Address to listen on. The default accepts connections from this machine only.',
    schema: z.string().min(1).default('127.0.0.1'),
  },
  port: {
    env: 'AUXIL_PORT',
    doc: 'TCP port to listen on; 0 picks a free one.',
    schema: integer(0, 65535, 7600),
  },
  dataDir: {
    env: 'AUXIL_DATA_DIR',
    doc: 'Folder for the embedded store (SQLite) and the local token file.',
    schema: z.string().min(1).default('./.auxil'),
  },
  logLevel: {
    env: 'AUXIL_LOG_LEVEL',
    doc: 'Least severe log level written: trace, debug, info, warn, error, fatal or silent.',
    schema: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  },
  maxFileBytes: {
    env: 'AUXIL_MAX_FILE_BYTES',
    doc: 'Largest file accepted by the file upload endpoint, in bytes.',
    schema: integer(1024, 64 * 1024 * 1024, MAX_FILE_BYTES),
  },
  minTokens: {
    env: 'AUXIL_MIN_TOKENS',
    doc: 'Shortest duplicated fragment reported, in tokens.',
    schema: integer(10, 10_000, 50),
  },
  minLines: {
    env: 'AUXIL_MIN_LINES',
    doc: 'Shortest duplicated fragment reported, in lines.',
    schema: integer(1, 10_000, 5),
  },
  store: {
    env: 'AUXIL_STORE',
    doc: 'Where data lives: sqlite:<file> or a MongoDB URL (mongodb://…). Default: SQLite in the data directory.',
    /** How docs/configuration.md shows a default that is not a constant. */
    docDefault: 'sqlite:<data dir>/auxil.db',
    schema: z.string().min(1).optional(),
  },
  queue: {
    env: 'AUXIL_QUEUE',
    doc: 'Where batch jobs go: local (in-process threads) or an Agenda backend URL (mongodb://, postgres://, redis://).',
    schema: z.string().min(1).default('local'),
  },
  queueNamespace: {
    env: 'AUXIL_QUEUE_NAMESPACE',
    doc: 'Agenda queues: the table, collection or Redis key prefix the jobs live under; every process sharing work uses the same one.',
    schema: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, '1-40 lower-case letters, digits or _, starting with a letter')
      .default('auxil_jobs'),
  },
  role: {
    env: 'AUXIL_ROLE',
    doc: 'What this process does: all (API and jobs), api (API only: enqueues jobs) or worker (runs jobs, no API).',
    schema: z.enum(['all', 'api', 'worker']).default('all'),
  },
  maxInFlight: {
    env: 'AUXIL_MAX_IN_FLIGHT',
    doc: 'Most API requests handled at once by this process; beyond it, requests are refused with 503 and Retry-After.',
    schema: integer(1, 100_000, 512),
  },
  rateLimit: {
    env: 'AUXIL_RATE_LIMIT',
    doc: 'Most API requests per tenant per minute on this process; beyond it, 429 with Retry-After.',
    schema: integer(1, 10_000_000, 60_000),
  },
  threads: {
    env: 'AUXIL_THREADS',
    doc: 'Worker threads for lexing uploads and matching many files at once (default: one per core).',
    docDefault: 'one per core',
    schema: integer(1, 256, availableParallelism()),
  },
  shardLockMs: {
    env: 'AUXIL_SHARD_LOCK_MS',
    doc: "How long a worker holds an analysis shard, or a part of a large analysis's matching, before another may take it over, in milliseconds (a dead worker delays its shard or part this long).",
    schema: integer(1_000, 3_600_000, 60_000),
  },
  mcpAllowedOrigins: {
    env: 'AUXIL_MCP_ALLOWED_ORIGINS',
    doc: 'Web origins (comma-separated, e.g. https://console.example.com) whose pages may call /mcp; a request with any other Origin header is refused. Agents send none.',
    docDefault: 'none',
    schema: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin !== ''),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((origin) => new URL(origin).origin))),
  },
} as const;

type Entries = typeof configEntries;
export type Config = { [K in keyof Entries]: z.output<Entries[K]['schema']> };
export type ConfigInput = { [K in keyof Entries]?: z.input<Entries[K]['schema']> | undefined };

/** Reports every invalid setting at once, naming the environment variable that set it. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Builds the configuration from explicit values (command-line flags, test overrides), then the
 * environment, then the defaults — and validates it before anything listens.
 */
export function loadConfig(overrides: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(configEntries)) {
    const explicit = overrides[key as keyof Entries];
    const raw = explicit ?? env[entry.env];
    // A blank value counts as unset, like an absent one.
    const parsed = entry.schema.safeParse(typeof raw === 'string' && raw.trim() === '' ? undefined : raw);
    if (parsed.success) config[key] = parsed.data;
    else {
      const source = explicit === undefined ? entry.env : key;
      problems.push(`${source}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const result = config as Config;
  return { ...result, dataDir: resolve(result.dataDir) };
}
