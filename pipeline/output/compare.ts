/**
 * `npm run check`: the output folder against a fresh render. In a pull request the output
 * folder is hostile, so it is walked with lstat and read with readEntry (no link followed, no
 * FIFO or device opened, a bounded read, strict UTF-8), the content of a file no environment
 * renders is never printed, and everything printed is escaped (printable.ts).
 */
import { createTwoFilesPatch } from 'diff';
import * as fs from 'fs';
import * as path from 'path';
import { RenderedEnvironment } from '../render';
import { printableName, printableText } from './printable';
import { readEntry } from './read';

/** A committed file above this is not diffed line by line: no rendered file comes near it. */
const MAX_DIFF_BYTES = 1024 * 1024;
/** And no diff may take longer than this (a worst-case line diff is quadratic). */
const DIFF_TIMEOUT_MS = 1000;

type Difference =
  | { readonly file: string; readonly kind: 'missing'; readonly expected: string }
  | { readonly file: string; readonly kind: 'not rendered' }
  | { readonly file: string; readonly kind: 'differs'; readonly actual: string; readonly expected: string }
  /** Not a readable text file (`what` says what it is); `expected` when synth would write one there. */
  | { readonly file: string; readonly kind: 'unreadable'; readonly what: string; readonly expected?: string };

/** Every difference, by path relative to `outDir` (`<env>/<file>`), sorted. */
function differences(outDir: string, rendered: readonly RenderedEnvironment[]): Difference[] {
  const expected = new Map<string, string>();
  for (const { name, files } of rendered) for (const [file, content] of files) expected.set(path.join(name, file), content);
  const found: Difference[] = [];
  const seen = new Set<string>();
  // Iterative, so that no nesting depth committed in a pull request can overflow the stack.
  const folders = fs.lstatSync(outDir, { throwIfNoEntry: false })?.isDirectory() ? [''] : [];
  for (let folder; (folder = folders.pop()) !== undefined; ) {
    for (const entry of fs.readdirSync(path.join(outDir, folder), { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory() && !expected.has(file)) {
        folders.push(file);
        continue;
      }
      seen.add(file);
      const want = expected.get(file);
      const read = readEntry(path.join(outDir, file));
      if (!('text' in read)) found.push({ file, kind: 'unreadable', what: read.what, expected: want });
      else if (want === undefined) found.push({ file, kind: 'not rendered' });
      else if (read.text !== want) found.push({ file, kind: 'differs', actual: read.text, expected: want });
    }
  }
  for (const [file, content] of expected) if (!seen.has(file)) found.push({ file, kind: 'missing', expected: content });
  return found.sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** Every difference between `outDir` and the rendered tree, as `path: what` lines. */
export function compareTree(outDir: string, rendered: readonly RenderedEnvironment[]): string[] {
  return differences(outDir, rendered).map((d) => {
    const what =
      d.kind === 'missing' ? 'missing'
      : d.kind === 'not rendered' ? 'not rendered by any environment'
      : d.kind === 'differs' ? 'differs from a fresh render'
      : d.what;
    return `${printableName(path.join(outDir, d.file))}: ${what}`;
  });
}

/**
 * The same differences as a unified diff from what is on disk to a fresh render: what
 * `npm run synth` would change. A file no environment renders, or one that is not readable
 * text, is named in the header only, never shown.
 */
export function diffTree(outDir: string, rendered: readonly RenderedEnvironment[]): string {
  return differences(outDir, rendered)
    .map((d) => {
      const at = printableName(path.join(outDir, d.file));
      const patch = (actual: string, expected: string, from: string, to: string, header = 'committed') =>
        createTwoFilesPatch(from, to, actual, expected, header, 'fresh render', { timeout: DIFF_TIMEOUT_MS }) ??
        createTwoFilesPatch(from, to, '', '', `${header}; too different to show line by line`, 'fresh render');
      switch (d.kind) {
        case 'missing':
          return patch('', d.expected, '/dev/null', at);
        case 'not rendered':
          return patch('', '', at, '/dev/null', 'committed; not rendered by any environment, not shown');
        case 'unreadable':
          return patch('', d.expected ?? '', at, d.expected === undefined ? '/dev/null' : at, `committed; ${d.what}`);
        case 'differs':
          return Buffer.byteLength(d.actual) > MAX_DIFF_BYTES
            ? patch('', '', at, at, `committed; larger than ${MAX_DIFF_BYTES / 2 ** 20} MiB, not shown`)
            : patch(d.actual, d.expected, at, at);
      }
    })
    .map(printableText)
    .join('');
}
