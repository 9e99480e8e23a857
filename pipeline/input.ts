import * as fs from 'fs';
import { Finding } from './findings';
import { displayPath } from './source';

/** lint-configmap reads at most this much: a ConfigMap holds at most 1 MiB. */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;
/** How findings name standard input. */
export const STDIN = '<stdin>';

/** An input that cannot be read at all: wrong usage, exit 2. */
export class InputError extends Error {}

/** The text of an input, or the findings that say why it has none. */
export type Input = { readonly file: string; readonly text: string } | { readonly file: string; readonly findings: Finding[] };

/**
 * Reads FILE, or standard input for `-`: a regular file only (a FIFO or a device could block or
 * never end), at most MAX_INPUT_BYTES, strict UTF-8 (a byte order mark is kept: in a bare JSON
 * value Go rejects it too).
 */
export function readInput(arg: string): Input {
  const file = arg === '-' ? STDIN : displayPath(arg);
  const bytes = arg === '-' ? readBounded(0, file) : readFile(arg);
  if (bytes.length > MAX_INPUT_BYTES) {
    return { file, findings: [inputFinding(file, 1, 1, 'input-size', `the input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, 'a ConfigMap holds at most 1 MiB: is this the right file?')] };
  }
  try {
    return { file, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, bad - 1) + 1;
    const line = bytes.subarray(0, lineStart).filter((b) => b === 0x0a).length + 1;
    const column = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(lineStart, bad)).length + 1;
    const hex = bytes[bad].toString(16).padStart(2, '0');
    return { file, findings: [inputFinding(file, line, column, 'input-encoding', `invalid UTF-8: byte 0x${hex} does not start or continue a character here`, 'save the file as UTF-8')] };
  }
}

function inputFinding(file: string, line: number, column: number, rule: string, message: string, hint: string): Finding {
  return { file, line, column, path: '', rule, severity: 'error', message, hint };
}

function readFile(path: string): Buffer {
  let fd: number;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' || code === 'ENOTDIR' ? `${path} not found` : `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      const what = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'a device';
      throw new InputError(`${path} is ${what}, not a regular file${stat.isFIFO() ? ': to lint what comes through a pipe, give - and pipe it to standard input' : ''}`);
    }
    return readBounded(fd, path);
  } finally {
    fs.closeSync(fd);
  }
}

/** Up to MAX_INPUT_BYTES + 1 bytes of `fd`: one byte more than allowed says it is too large. */
function readBounded(fd: number, name: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(64 * 1024);
  while (total <= MAX_INPUT_BYTES) {
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, MAX_INPUT_BYTES + 1 - total), null);
    } catch (e) {
      // Standard input may be a non-blocking pipe with nothing in it yet: wait a little.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw new InputError(`cannot read ${name}: ${(e as Error).message}`);
    }
    if (n === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (as TextDecoder judges: no overlongs, surrogates or code points past U+10FFFF). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    // Continuation count and the allowed range of the first continuation byte (RFC 3629 section 4).
    const [count, low, high] =
      lead >= 0xc2 && lead <= 0xdf ? [1, 0x80, 0xbf]
      : lead === 0xe0 ? [2, 0xa0, 0xbf]
      : lead === 0xed ? [2, 0x80, 0x9f]
      : lead >= 0xe1 && lead <= 0xef ? [2, 0x80, 0xbf]
      : lead === 0xf0 ? [3, 0x90, 0xbf]
      : lead === 0xf4 ? [3, 0x80, 0x8f]
      : lead >= 0xf1 && lead <= 0xf3 ? [3, 0x80, 0xbf]
      : [0, 0, 0];
    if (count === 0) return i;
    for (let k = 1; k <= count; k++) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) return i;
    }
    i += count + 1;
  }
  return bytes.length;
}
