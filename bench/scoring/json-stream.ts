import { closeSync, openSync, readSync } from 'node:fs';

/** A step into a JSON value: an object key or an array index. */
export type JsonPathKey = string | number;

/** What a streaming walk reports. `path` is the walker's live stack: read it, do not keep it. */
export interface JsonVisitor {
  /** Whether the string at `path` is wanted; unwanted strings (jscpd's code fragments) are skipped unread. */
  wantsString(path: readonly JsonPathKey[]): boolean;
  /** A primitive value at `path` (skipped strings arrive as undefined). */
  value(path: readonly JsonPathKey[], value: string | number | boolean | null | undefined): void;
  /** An object or array at `path` has closed. */
  close(path: readonly JsonPathKey[]): void;
}

/** The file is not well-formed JSON at the given byte. */
export class JsonStreamError extends Error {
  override readonly name = 'JsonStreamError';
}

interface Frame {
  readonly array: boolean;
  key: JsonPathKey;
  expectingKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Walks a JSON file of any size in 4 MB chunks, reporting primitive values with their paths.
 * jscpd's report of a large corpus embeds every duplicated fragment's text and can exceed the
 * longest string V8 can hold, so `JSON.parse(readFileSync(…))` cannot read it.
 */
export function walkJsonFile(file: string, visitor: JsonVisitor): void {
  const fd = openSync(file, 'r');
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  const stack: Frame[] = [];
  const path: JsonPathKey[] = [];
  let inString = false;
  let escaped = false;
  let collecting = false;
  let parts: Buffer[] = [];
  let literal = '';
  let offset = 0;

  const top = (): Frame | undefined => stack[stack.length - 1];
  const emit = (value: string | number | boolean | null | undefined): void => {
    const frame = top();
    if (frame?.expectingKey) {
      frame.key = value as string;
      path[path.length - 1] = frame.key;
      frame.expectingKey = false;
      return;
    }
    visitor.value(path, value);
  };
  const flushLiteral = (): void => {
    if (literal === '') return;
    const text = literal;
    literal = '';
    if (text === 'true' || text === 'false') emit(text === 'true');
    else if (text === 'null') emit(null);
    else if (Number.isFinite(Number(text))) emit(Number(text));
    else throw new JsonStreamError(`unexpected "${text}" before byte ${offset}`);
  };

  try {
    for (let read = readSync(fd, chunk, 0, chunk.length, null); read > 0; read = readSync(fd, chunk, 0, chunk.length, null)) {
      let segmentStart = 0;
      for (let i = 0; i < read; i++) {
        const byte = chunk[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) {
            inString = false;
            if (collecting) {
              parts.push(Buffer.from(chunk.subarray(segmentStart, i)));
              const raw = Buffer.concat(parts).toString('utf8');
              parts = [];
              emit(JSON.parse(`"${raw}"`) as string);
            } else {
              emit(undefined);
            }
          }
          continue;
        }
        switch (byte) {
          case QUOTE: {
            flushLiteral();
            inString = true;
            collecting = top()?.expectingKey === true || visitor.wantsString(path);
            segmentStart = i + 1;
            break;
          }
          case 0x7b: // {
          case 0x5b: {
            // [
            flushLiteral();
            const array = byte === 0x5b;
            stack.push({ array, key: array ? 0 : '', expectingKey: !array });
            path.push(array ? 0 : '');
            break;
          }
          case 0x7d: // }
          case 0x5d: {
            // ]
            flushLiteral();
            stack.pop();
            path.pop();
            visitor.close(path);
            break;
          }
          case 0x2c: {
            // ,
            flushLiteral();
            const frame = top();
            if (frame?.array) {
              frame.key = (frame.key as number) + 1;
              path[path.length - 1] = frame.key;
            } else if (frame) {
              frame.expectingKey = true;
            }
            break;
          }
          case 0x3a: // :
            flushLiteral();
            break;
          case 0x20:
          case 0x0a:
          case 0x0d:
          case 0x09:
            flushLiteral();
            break;
          default:
            literal += String.fromCharCode(byte);
        }
      }
      if (inString && collecting) parts.push(Buffer.from(chunk.subarray(segmentStart, read)));
      offset += read;
    }
    flushLiteral();
    if (stack.length > 0 || inString) throw new JsonStreamError(`${file} ends inside a value`);
  } finally {
    closeSync(fd);
  }
}
