import * as fs from 'fs';

/** No rendered file comes near this; a committed one above it is reported, never read whole. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** A file's text, or what the entry is when it is not readable UTF-8 text: a difference line says which. */
type Entry = { readonly text: string } | { readonly what: string };

// ignoreBOM keeps a byte-order mark in the text, so that a committed file with one differs.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a regular file of the output folder, which in a pull request is hostile: a symbolic
 * link is never followed (it could point at /proc/self/environ), a FIFO, socket or device is
 * never read (it could block forever or never end), at most MAX_FILE_BYTES are read, and text
 * that is not UTF-8 is not decoded into something that looks like text.
 */
export function readEntry(file: string): Entry {
  const kind = describe(fs.lstatSync(file));
  if (kind) return { what: kind };
  // O_NOFOLLOW and O_NONBLOCK: if the file was swapped for a link or a FIFO since lstat, open
  // fails or returns at once, and fstat below tells what it is.
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') return { what: 'a symbolic link (not followed)' };
    throw e;
  }
  try {
    const st = fs.fstatSync(fd);
    const swapped = describe(st);
    if (swapped) return { what: swapped };
    const bytes = readUpTo(fd, MAX_FILE_BYTES + 1, st.size);
    if (bytes.length > MAX_FILE_BYTES) return { what: `larger than ${MAX_FILE_BYTES / 2 ** 20} MiB (not read)` };
    try {
      return { text: decoder.decode(bytes) };
    } catch {
      return { what: 'not valid UTF-8 (not shown)' };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * At most `max` bytes from `fd`, however large the file says it is. The first read asks for the
 * size the file says it has and one byte more (a file that grew is read on; a fleet's 5,000 small
 * files do not each take a 64 KiB buffer).
 */
function readUpTo(fd: number, max: number, size: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < max) {
    const chunk = Buffer.allocUnsafe(Math.min(total === 0 ? size + 1 : 64 * 1024, max - total));
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks);
}

/** Why an entry is not a regular file to read, or undefined when it is one. */
function describe(st: fs.Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isSymbolicLink()) return 'a symbolic link (not followed)';
  if (st.isDirectory()) return 'a folder, not a file';
  if (st.isFIFO()) return 'a FIFO (not read)';
  if (st.isSocket()) return 'a socket (not read)';
  return 'a device (not read)';
}
