/**
 * Replacing an output folder with a rendered tree, all or nothing, crash-safe.
 *
 * The new tree is staged beside the folder (same parent, so same file system) and swapped in:
 * - where the folder does not exist yet, by one rename;
 * - else by one renameat2(RENAME_EXCHANGE) (native/exchange.c): at every instant the folder
 *   holds the complete old or the complete new tree;
 * - else (no addon, not Linux, a file system that refuses the exchange) by two renames, old tree
 *   aside then new tree in, with a journal written first: a run killed between the two leaves
 *   the folder missing, and `recoverOutput` (first thing in every synth and check) puts the old
 *   tree back from what the journal names.
 * Nothing is fsync'ed: this holds against a killed process, not against a power cut.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RenderedEnvironment } from '../render';
import { OutputError } from './error';
import { exchange } from './exchange';
import { assertOwned } from './owned';
import { printableName } from './printable';
import { readEntry } from './read';
import { isOwnEntryName, isStagingName, journalPath, stagingPrefix } from './siblings';
import { writeFolders } from './write-files';

/** One folder to replace, and the tree to put there. */
export interface Target {
  readonly outDir: string;
  readonly rendered: readonly RenderedEnvironment[];
  /**
   * A staging folder (createStaging) that already holds some of the tree, written while it was
   * rendered; the rest is written into it.
   * @default - a new staging folder, all of the tree written into it
   */
  readonly staged?: { readonly folder: string; readonly written: ReadonlySet<string> };
}

/**
 * The points between the steps of a swap, in order; each path passes some of them:
 * `staged`, then `renamed` (the folder did not exist), or `exchanged`, or `journaled`,
 * `moved-old` (the folder is missing here), `moved-new`, `committed` (journal removed); then `done`.
 */
export type SwapStep = 'staged' | 'renamed' | 'exchanged' | 'journaled' | 'moved-old' | 'moved-new' | 'committed' | 'done';

export interface SwapOptions {
  /**
   * Called after each step with the folder it concerns. A test throws here to stop the swap as
   * a kill would: nothing is cleaned up or rolled back for that folder.
   */
  readonly afterStep?: (step: SwapStep, outDir: string) => void;
  /** false: take the journaled two-rename path even where the exchange works (to test it). */
  readonly exchange?: boolean;
  /** Replace a folder holding environments with an empty tree (`--allow-empty`). */
  readonly allowEmpty?: boolean;
}

/** A folder whose new tree is in place while its old tree is kept until every folder is. */
interface Swapped {
  /** Puts the old tree back. */
  revert(): void;
  /** Removes the old tree. */
  finish(): void;
}

/** Replaces `outDir` with exactly `rendered`: see replaceTrees. */
export function writeTree(outDir: string, rendered: readonly RenderedEnvironment[], options: SwapOptions = {}): void {
  replaceTrees([{ outDir, rendered }], options);
}

/**
 * Replaces each target folder with exactly its rendered tree, all or nothing across the
 * targets: every tree is staged before any folder is touched, and if a later swap fails the
 * earlier ones are reverted. Refuses a folder this tool did not render (assertOwned), and one
 * holding environments when nothing was rendered (unless `allowEmpty`). The caller holds each
 * folder's lock, and has checked its path (checkOutputPath) and run recoverOutput on it.
 */
export function replaceTrees(targets: readonly Target[], options: SwapOptions = {}): void {
  try {
    for (const { outDir, rendered } of targets) {
      assertOwned(outDir);
      if (rendered.length === 0 && !options.allowEmpty) refuseToEmpty(outDir);
    }
  } catch (e) {
    targets.forEach((target) => target.staged && remove(target.staged.folder));
    throw e;
  }
  const staged: string[] = [];
  try {
    for (const target of targets) staged.push(stage(target));
  } catch (e) {
    staged.forEach(remove);
    targets.slice(staged.length + 1).forEach((target) => target.staged && remove(target.staged.folder));
    throw e;
  }
  for (const { outDir } of targets) options.afterStep?.('staged', outDir);
  const swapped: Swapped[] = [];
  targets.forEach(({ outDir }, i) => {
    try {
      swapped.push(swapIn(outDir, staged[i], options));
    } catch (e) {
      staged.slice(i + 1).forEach(remove);
      throw revertAll(swapped, targets, e as Error);
    }
  });
  targets.forEach(({ outDir }, i) => {
    swapped[i].finish();
    options.afterStep?.('done', outDir);
  });
}

function refuseToEmpty(outDir: string): void {
  const environments = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((n) => !isOwnEntryName(n)).sort() : [];
  if (environments.length === 0) return;
  const listed = environments.map((n) => printableName(path.join(outDir, n))).join(', ');
  throw new OutputError(`refusing to empty ${outDir}: no environment was rendered, and it would remove ${listed} (pass --allow-empty to do that)`);
}

/** A new staging folder beside `outDir`, with the permissions mkdir would give it. */
export function createStaging(outDir: string): string {
  const staging = fs.mkdtempSync(stagingPrefix(outDir));
  try {
    fs.chmodSync(staging, 0o777 & ~process.umask()); // mkdtemp makes it 0700
  } catch (e) {
    remove(staging);
    throw e;
  }
  return staging;
}

/** Writes the tree (what is not written yet) into its staging folder; files that stay the same are linked from `outDir`. */
function stage({ outDir, rendered, staged }: Target): string {
  const staging = staged?.folder ?? createStaging(outDir);
  try {
    for (const { name, files } of rendered) {
      for (const file of files.keys()) {
        const relative = path.join(name, file);
        if (!relative.startsWith(`${name}${path.sep}`)) throw new Error(`rendered file ${relative} is outside its folder`);
      }
    }
    const unwritten = rendered.filter(({ name }) => !staged?.written.has(name));
    writeFolders(unwritten.map(({ name, files }) => ({ folder: path.join(staging, name), files, reuseFrom: path.join(outDir, name) })));
  } catch (e) {
    remove(staging);
    throw e;
  }
  return staging;
}

/** Swaps one staged tree in: by a rename where there is no folder yet, else by the exchange, else journaled. */
function swapIn(outDir: string, staging: string, options: SwapOptions): Swapped {
  const step = (s: SwapStep) => options.afterStep?.(s, outDir);
  let exchanged: boolean;
  try {
    if (!fs.lstatSync(outDir, { throwIfNoEntry: false })) {
      fs.renameSync(staging, outDir);
      step('renamed');
      const revert = () => {
        fs.renameSync(outDir, staging);
        remove(staging);
      };
      return { revert, finish: () => undefined };
    }
    exchanged = options.exchange !== false && exchange(staging, outDir);
  } catch (e) {
    remove(staging);
    throw e;
  }
  if (!exchanged) return journaledSwap(outDir, staging, step);
  step('exchanged'); // the staging folder now holds the old tree
  return {
    revert: () => {
      if (!exchange(staging, outDir)) throw new Error('the exchange back was refused');
      remove(staging);
    },
    finish: () => remove(staging),
  };
}

/** The fallback: journal, old tree aside, new tree in; recoverOutput finishes it after a kill. */
function journaledSwap(outDir: string, staging: string, step: (s: SwapStep) => void): Swapped {
  const old = `${staging}-old`;
  const journal = journalPath(outDir);
  const written = `${staging}.journal`; // a staging name: swept up if left behind
  try {
    fs.writeFileSync(written, `${JSON.stringify({ staging: path.basename(staging), old: path.basename(old) })}\n`, { flag: 'wx' });
    fs.renameSync(written, journal);
  } catch (e) {
    [staging, written].forEach(remove);
    throw e;
  }
  step('journaled');
  try {
    fs.renameSync(outDir, old);
  } catch (e) {
    remove(staging);
    fs.rmSync(journal);
    throw e;
  }
  step('moved-old');
  try {
    fs.renameSync(staging, outDir);
  } catch (e) {
    moveBack(outDir, old, e as Error);
    remove(staging);
    fs.rmSync(journal);
    throw e;
  }
  step('moved-new');
  return {
    revert: () => {
      fs.renameSync(outDir, staging); // from here on, recoverOutput too would put the old tree back
      moveBack(outDir, old);
      remove(staging);
      fs.rmSync(journal);
    },
    finish: () => {
      fs.rmSync(journal);
      step('committed');
      remove(old);
    },
  };
}

/**
 * Moves the old tree back into the (missing) folder. If that fails, the error says where it is,
 * and the journal stays for recoverOutput.
 */
function moveBack(outDir: string, old: string, cause?: Error): void {
  try {
    fs.renameSync(old, outDir);
  } catch (e) {
    throw new OutputError(
      `${cause ? `${cause.message}; then ` : ''}${outDir} could not be moved back from ${old} (${(e as Error).message}): ` +
        'it is missing until the next synth or check puts it back',
    );
  }
}

/** Reverts the swaps done so far; the error to throw says whether that worked. */
function revertAll(swapped: readonly Swapped[], targets: readonly Target[], cause: Error): Error {
  const failed: string[] = [];
  swapped.forEach((s, i) => {
    try {
      s.revert();
    } catch (e) {
      const message = (e as Error).message;
      failed.push(e instanceof OutputError ? message : `${targets[i].outDir} could not be put back (${message}) and holds the new tree`);
    }
  });
  return failed.length === 0 ? cause : new OutputError(`${cause.message}; ${failed.join('; ')}`);
}

/**
 * Brings `outDir` back to a complete tree after a run was killed, and removes what such runs
 * left beside it. With a journal (the two-rename fallback was under way): while the new tree
 * is not in place, the old one is put back; once it is, only the old tree is left to remove.
 * Without one, the folder is complete and any staging folder is garbage. Call it holding the lock.
 * @returns what was done, to tell the user, or undefined when there was nothing to do
 */
export function recoverOutput(outDir: string): string | undefined {
  const journal = readJournal(outDir);
  let done: string | undefined;
  if (journal) {
    const exists = (p: string) => fs.lstatSync(p, { throwIfNoEntry: false });
    if (exists(outDir)) {
      done = exists(journal.staging) ? 'an interrupted swap was rolled back (it had not replaced the tree)' : 'an interrupted swap was completed (the new tree was in place)';
    } else if (exists(journal.old)?.isDirectory()) {
      fs.renameSync(journal.old, outDir);
      done = 'an interrupted swap was rolled back (the previous tree is back)';
    } else {
      done = 'an interrupted swap left it missing, and its previous tree is not there to put back';
    }
    fs.rmSync(journalPath(outDir));
  }
  const parent = path.dirname(outDir);
  const leftovers = fs.readdirSync(parent).filter((n) => isStagingName(outDir, n)).sort();
  for (const name of leftovers) remove(path.join(parent, name));
  if (!done && leftovers.length === 0) return undefined;
  const removed = leftovers.length ? `removed ${leftovers.map(printableName).join(', ')}` : undefined;
  return `${outDir}: ${[done, removed].filter(Boolean).join('; ')}`;
}

/** The staging and old folders a journal names; an OutputError when it is not one this tool wrote. */
function readJournal(outDir: string): { staging: string; old: string } | undefined {
  const file = journalPath(outDir);
  if (!fs.lstatSync(file, { throwIfNoEntry: false })) return undefined;
  const entry = readEntry(file);
  try {
    const { staging, old } = JSON.parse('text' in entry ? entry.text : '');
    if (typeof staging === 'string' && isStagingName(outDir, staging, ['']) && old === `${staging}-old`) {
      return { staging: path.join(path.dirname(outDir), staging), old: path.join(path.dirname(outDir), old) };
    }
  } catch {
    // reported below
  }
  throw new OutputError(`${file} is not a journal this tool wrote: if no synth is running, remove it and run again`);
}

function remove(p: string): void {
  fs.rmSync(p, { recursive: true, force: true });
}

/** Removes a staging folder that will not be swapped in (createStaging). */
export const discardStaging = remove;
