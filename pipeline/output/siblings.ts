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

/**
 * Whether `name`, in the output's parent, is one of `outDir`'s staging entries: mkdtemp's
 * `.<name>.tmp-XXXXXX`, followed by one of `suffixes` (`-old`: the old tree the fallback moved
 * aside; `.journal`: a journal being written).
 */
export function isStagingName(outDir: string, name: string, suffixes: readonly string[] = ['', '-old', '.journal']): boolean {
  const prefix = path.basename(stagingPrefix(outDir));
  const rest = name.startsWith(prefix) ? name.slice(prefix.length) : '';
  return /^[A-Za-z0-9]{6}/.test(rest) && suffixes.includes(rest.slice(6));
}

/** A lock, journal or staging name of some output: this tool's own, wherever it is found. */
export function isOwnEntryName(name: string): boolean {
  return /^\..+\.(lock|journal|tmp-.+)$/.test(name);
}

function sibling(outDir: string, what: string): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}.${what}`);
}
