import * as fs from 'fs';
import * as path from 'path';
import { isRenderedFile } from '../render';
import { OutputError } from './error';
import { printableName } from './printable';
import { readEntry } from './read';
import { isOwnEntryName } from './siblings';

/**
 * Refuses to replace a folder this tool did not render, since the whole folder is replaced:
 * every top-level entry must be a real folder (no symbolic link) whose `kustomization.yaml` is a
 * regular file starting with this tool's header, or (like `_gitops/`) a folder of such folders
 * only. A folder of someone else's kustomize trees
 * fails this, which a mere kustomization.yaml would not. This tool's own lock, journal and
 * staging names are not foreign.
 */
export function assertOwned(outDir: string): void {
  if (!fs.existsSync(outDir)) return;
  const foreign = fs
    .readdirSync(outDir)
    .sort()
    .find((name) => !isOwnEntryName(name) && !isRenderedFolder(path.join(outDir, name)));
  if (foreign !== undefined) {
    throw new OutputError(
      `refusing to replace ${outDir}: ${printableName(path.join(outDir, foreign))} was not rendered by this tool ` +
        '(the output folder is replaced whole; point --output at a folder of its own)',
    );
  }
}

/** Deepest folder of folders this tool renders: `_gitops/flux/<environment>/`. */
const MAX_DEPTH = 3;

function isRenderedFolder(folder: string, depth = 1): boolean {
  if (!fs.lstatSync(folder).isDirectory()) return false;
  const kustomization = path.join(folder, 'kustomization.yaml');
  if (!fs.lstatSync(kustomization, { throwIfNoEntry: false })) {
    const entries = fs.readdirSync(folder);
    return depth < MAX_DEPTH && entries.length > 0 && entries.every((name) => isRenderedFolder(path.join(folder, name), depth + 1));
  }
  const entry = readEntry(kustomization);
  return 'text' in entry && isRenderedFile(entry.text);
}
