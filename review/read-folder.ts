import * as fs from 'fs';
import * as path from 'path';
import { printableName } from '../pipeline/output/printable';
import { readEntry } from '../pipeline/output/read';
import { Entry, RenderedTree, sortTree, TreeError } from './tree';

/**
 * A rendered tree on disk, read as untrusted input: walked with lstat, each file read by
 * readEntry (no link followed, no FIFO or device opened, bounded, strict UTF-8). Environment
 * folders are flat, so only the `_*` wiring is walked deeper, iteratively (no nesting a pull
 * request commits can overflow the stack). `missing: 'empty'` reads a folder that does not
 * exist as an empty tree (a pull request may remove the whole output); otherwise it is an error.
 */
export function readFolderTree(dir: string, missing: 'error' | 'empty' = 'error'): RenderedTree {
  const label = printableName(dir.replace(/(.)\/+$/, '$1'));
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!stat && missing === 'empty') return sortTree(label, false, new Map());
  if (!stat) throw new TreeError(`${label}: not found`);
  if (!stat.isDirectory()) throw new TreeError(`${label}: ${stat.isSymbolicLink() ? 'a symbolic link (not followed)' : 'not a folder'}`);

  const entries = new Map<string, Entry>();
  const pending = ['']; // folders to list, relative to dir
  for (let folder; (folder = pending.pop()) !== undefined; ) {
    for (const entry of fs.readdirSync(path.join(dir, folder), { withFileTypes: true })) {
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      const wiring = relative.startsWith('_');
      // Top-level folders, and any folder of the wiring, are walked; a folder inside an
      // environment becomes an entry that says it was not read.
      if (entry.isDirectory() && (folder === '' || wiring)) pending.push(relative);
      else entries.set(relative, readEntry(path.join(dir, relative)));
    }
  }
  return sortTree(label, true, entries);
}
