import * as fs from 'fs';
import * as path from 'path';
import { Finding } from './findings';
import { displayPath, SourceFile } from './source';

/**
 * Reading inputs that may be hostile (a pull request's environment files, a ConfigMap dump):
 * regular files only (a FIFO or a device could block or never end), never more than
 * MAX_INPUT_BYTES, strict UTF-8 (Kubernetes and Go would read other text than a file shows).
 */

/** Read at most this much of any input: a ConfigMap holds at most 1 MiB, an environment file a few KiB. */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;
/** How findings name standard input. */
export const STDIN = '<stdin>';

/** An input that cannot be read at all: wrong usage, exit 2. */
export class InputError extends Error {}

/** The text of an input, or the findings that say why it has none. */
export type Input = { readonly file: string; readonly text: string } | { readonly file: string; readonly findings: Finding[] };

const inputFinding = (file: string, rule: string, message: string, hint: string, line = 1, column = 1): Finding => ({
  file, line, column, path: '', rule, severity: 'error', message, hint,
});

/** lint-configmap's FILE, or standard input for `-`. A file that cannot be opened is an InputError. */
export function readInput(arg: string): Input {
  const file = arg === '-' ? STDIN : displayPath(arg);
  if (arg === '-') return decode(file, readBounded(0, file));
  const opened = openRegular(arg);
  if (typeof opened === 'string') {
    const pipe = opened.includes('a FIFO') ? ': to lint what comes through a pipe, give - and pipe it to standard input' : '';
    throw new InputError(opened + pipe);
  }
  try {
    return decode(file, readBounded(opened, file));
  } finally {
    fs.closeSync(opened);
  }
}

/**
 * An environment file or fragment inside `root`, parsed. A symbolic link is read as its target
 * when that is a regular file inside `root`; a link out of it is never followed.
 */
export function readWithin(file: string, root: string): SourceFile | Finding {
  const shown = displayPath(file);
  const refuse = (message: string) => inputFinding(shown, 'input-file', message, 'environment files and fragments are plain YAML files inside the environments folder');
  let target = file;
  try {
    if (fs.lstatSync(file).isSymbolicLink()) {
      target = fs.realpathSync(file);
      const rel = path.relative(fs.realpathSync(root), target);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return refuse('is a symbolic link to a file outside the environments folder: not read');
    }
  } catch (e) {
    return refuse(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const opened = openRegular(target, fs.constants.O_NOFOLLOW);
  if (typeof opened === 'string') return refuse(opened.replace(`${target} `, ''));
  try {
    const read = decode(shown, readBounded(opened, shown));
    return 'text' in read ? new SourceFile(read.file, read.text) : read.findings[0];
  } finally {
    fs.closeSync(opened);
  }
}

/** An open descriptor of a regular file, or why there is none. Non-blocking: opening a FIFO would wait for a writer. */
function openRegular(file: string, flags = 0): number | string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | flags);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `${file} not found`;
    if (code === 'ELOOP') return `${file} is a symbolic link: not followed`;
    return `cannot read ${file}: ${(e as Error).message}`;
  }
  const stat = fs.fstatSync(fd);
  if (stat.isFile()) return fd;
  fs.closeSync(fd);
  const what = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'a device';
  return `${file} is ${what}, not a regular file`;
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

/** The text, or a finding at the first byte that is not UTF-8, or one saying the input is too large. */
function decode(file: string, bytes: Buffer): Input {
  if (bytes.length > MAX_INPUT_BYTES) {
    return { file, findings: [inputFinding(file, 'input-size', `the input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, 'a ConfigMap holds at most 1 MiB, an environment file a few KiB: is this the right file?')] };
  }
  try {
    // A byte order mark is kept: in a bare JSON value Go rejects it too.
    return { file, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, bad - 1) + 1;
    const line = bytes.subarray(0, lineStart).filter((b) => b === 0x0a).length + 1;
    const column = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(lineStart, bad)).length + 1;
    const hex = bytes[bad].toString(16).padStart(2, '0');
    return { file, findings: [inputFinding(file, 'input-encoding', `invalid UTF-8: byte 0x${hex} does not start or continue a character here`, 'save the file as UTF-8', line, column)] };
  }
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
