import type { LanguageId } from '../lexing/tokens.js';
import type { FileSymbols } from '../symbols/extract-symbols.js';
import type { FileRecord } from './file-record.js';
import { LineTable } from './line-table.js';

/**
 * A file record as bytes, so a backend can persist each file's part of the index and rebuild the
 * index without lexing again. Layout: "AXR1", a little-endian u32 header length, a UTF-8 JSON
 * header (path, language, counts, symbols), padding to 4 bytes, then the typed arrays back to back, each
 * padded to 4 bytes.
 */
const MAGIC = 0x31525841; // "AXR1" little-endian
const VERSION = 1;

interface Header {
  version: number;
  path: string;
  language: LanguageId;
  lineCount: number;
  minTokens: number;
  lengths: number[];
  symbols: FileSymbols;
}

const pad4 = (n: number): number => (n + 3) & ~3;

function sections(record: FileRecord): (Uint16Array | Uint32Array)[] {
  return [
    record.codes,
    record.exact,
    record.lines.runStarts,
    record.lines.runLines,
    record.lines.multiLine,
    record.fingerprintHashes,
    record.fingerprintPositions,
    record.unitStarts,
    record.unitEnds,
    record.unitKeys,
  ];
}

export function encodeRecord(record: FileRecord): Uint8Array {
  const arrays = sections(record);
  const header: Header = {
    version: VERSION,
    path: record.path,
    language: record.language,
    lineCount: record.lineCount,
    minTokens: record.minTokens,
    lengths: arrays.map((array) => array.length),
    symbols: record.symbols,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  let size = pad4(8 + headerBytes.length);
  for (const array of arrays) size += pad4(array.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  let offset = pad4(8 + headerBytes.length);
  for (const array of arrays) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += pad4(array.byteLength);
  }
  return out;
}

/**
 * Decodes bytes from `encodeRecord`; throws a descriptive error on anything else. The arrays are
 * copied out, unless `views` is set: then they are views into `bytes` where its alignment allows
 * (bytes the caller owns and keeps unchanged for as long as the record lives).
 */
export function decodeRecord(bytes: Uint8Array, { views = false }: { views?: boolean } = {}): FileRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('not an Auxil file record');
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw new Error('truncated Auxil file record header');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Header;
  if (header.version !== VERSION) throw new Error(`unsupported Auxil file record version ${header.version}`);
  let offset = pad4(8 + headerLength);
  const take = <T extends Uint16Array | Uint32Array>(
    length: number,
    Kind: { new (n: number): T; new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number },
  ): T => {
    const byteLength = length * Kind.BYTES_PER_ELEMENT;
    if (offset + byteLength > bytes.byteLength) throw new Error('truncated Auxil file record');
    const at = bytes.byteOffset + offset;
    offset += pad4(byteLength);
    if (views && at % Kind.BYTES_PER_ELEMENT === 0) return new Kind(bytes.buffer, at, length);
    const array = new Kind(length);
    new Uint8Array(array.buffer).set(bytes.subarray(at - bytes.byteOffset, at - bytes.byteOffset + byteLength));
    return array;
  };
  const [codes, exact, runStarts, runLines, multiLine, hashes, positions, unitStarts, unitEnds, unitKeys] = header.lengths;
  return {
    path: header.path,
    language: header.language,
    lineCount: header.lineCount,
    minTokens: header.minTokens,
    symbols: header.symbols,
    codes: take(codes ?? 0, Uint16Array),
    exact: take(exact ?? 0, Uint16Array),
    lines: new LineTable(take(runStarts ?? 0, Uint32Array), take(runLines ?? 0, Uint32Array), take(multiLine ?? 0, Uint32Array)),
    fingerprintHashes: take(hashes ?? 0, Uint32Array),
    fingerprintPositions: take(positions ?? 0, Uint32Array),
    unitStarts: take(unitStarts ?? 0, Uint32Array),
    unitEnds: take(unitEnds ?? 0, Uint32Array),
    unitKeys: take(unitKeys ?? 0, Uint32Array),
  };
}
