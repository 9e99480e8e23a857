/**
 * The entries a run keeps beside the output folder `<parent>/<name>`, in the same parent so that
 * every rename stays on one file system: `.<name>.lock`, `.<name>.journal`, and the staging and
 * old trees `.<name>.tmp-XXXXXX[-old]` (git ignores `*.tmp-*`).
 */
import * as path from 'path';

/** `.<name>.lock`: held for a whole synth or check run. */
export function lockPath(outDir: string): string {
  return sibling(outDir, 'lock');
}

/** `.<name>.journal`: where the two-rename fallback has put what, until its swap is done. */
export function journalPath(outDir: string): string {
  return sibling(outDir, 'journal');
}

/** Prefix of every staging entry, for mkdtemp: `<parent>/.<name>.tmp-`. */
export function stagingPrefix(outDir: string): string {
  return `${sibling(outDir, 'tmp')}-`;
}

/** Whether `name` (in the output's parent) is a staging entry of `outDir`, which only a running swap needs. */
export function isStagingName(outDir: string, name: string): boolean {
  return name.startsWith(path.basename(stagingPrefix(outDir)));
}

/** A lock, journal or staging name of some output: this tool's own, wherever it is found. */
export function isOwnEntryName(name: string): boolean {
  return /^\..+\.(lock|journal|tmp-.+)$/.test(name);
}

function sibling(outDir: string, what: string): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}.${what}`);
}
