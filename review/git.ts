/**
 * Folders as committed at a git ref, read from git's objects (`ls-tree`, `cat-file`), never by a
 * checkout: the working tree stays as it is, and a symbolic link committed in the rendered tree
 * is reported, never read. git runs without a shell, with arguments that cannot be options.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { printableName } from '../pipeline/output/printable';
import { MAX_FILE_BYTES } from '../pipeline/output/read';
import { Entry, RenderedTree, sortTree, TreeError } from './tree';

/** One file of a committed folder, by its path inside that folder. */
interface GitFile {
  readonly path: string;
  readonly mode: string;
  readonly oid: string;
  readonly size: number;
}

const SYMLINK_MODE = '120000';
const SUBMODULE_MODE = '160000';
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A commit and the repository it is in, resolved from the working directory. */
export interface Commit {
  readonly ref: string;
  readonly oid: string;
  /** The repository's top folder, where git runs. */
  readonly root: string;
}

/** The commit `ref` names; a TreeError when there is no repository or no such commit. */
export function resolveCommit(ref: string): Commit {
  const cwd = process.cwd();
  const root = git(['rev-parse', '--show-toplevel'], cwd).toString('utf8').trim();
  // Not through git(): with --quiet, an unknown ref is exit 1 and nothing on stderr to quote.
  const found = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' });
  if (found.status !== 0) {
    throw new TreeError(`unknown git ref "${printableName(ref)}" (a branch, tag or commit; in CI, fetch it first: actions/checkout with fetch-depth: 0)`);
  }
  return { ref, oid: found.stdout.trim(), root };
}

/** The rendered tree `folder` (a path from the working directory) as committed at `commit`. */
export function readGitTree(commit: Commit, folder: string): RenderedTree {
  const label = printableName(`${commit.ref}:${folder.replace(/(.)\/+$/, '$1')}`);
  const files = listFolder(commit, folder, label);
  const blobs = readBlobs(commit, files.filter((f) => entryWithoutReading(f) === undefined));
  const entries = new Map<string, Entry>();
  for (const f of files) {
    const bytes = blobs.get(f.oid);
    entries.set(f.path, entryWithoutReading(f) ?? decode(bytes!));
  }
  return sortTree(label, files.length > 0, entries);
}

/**
 * Writes `folder` as committed at `commit` into the empty folder `into` (the environments for a
 * synthesize at that commit), symbolic links as links, as a checkout would. False when the
 * commit has no such folder.
 */
export function exportFolder(commit: Commit, folder: string, into: string): boolean {
  const label = printableName(`${commit.ref}:${folder}`);
  const files = listFolder(commit, folder, label).filter((f) => f.mode !== SUBMODULE_MODE && f.size <= MAX_FILE_BYTES);
  const blobs = readBlobs(commit, files);
  for (const f of files) {
    // git's own checks keep "..", "." and empty segments out of a tree; a crafted one is skipped.
    if (f.path.split('/').some((s) => s === '' || s === '.' || s === '..')) continue;
    const target = path.join(into, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (f.mode === SYMLINK_MODE) fs.symlinkSync(blobs.get(f.oid)!.toString('utf8'), target);
    else fs.writeFileSync(target, blobs.get(f.oid)!);
  }
  return files.length > 0;
}

/** Every file under `folder` at the commit, with paths relative to it. */
function listFolder(commit: Commit, folder: string, label: string): GitFile[] {
  const relative = path.relative(commit.root, path.resolve(fs.realpathSync(process.cwd()), folder));
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new TreeError(`${printableName(folder)} is outside the git repository ${printableName(commit.root)}`);
  }
  const prefix = relative === '' ? '' : `${relative.split(path.sep).join('/')}/`;
  const listing = git(['ls-tree', '-r', '-z', '-l', commit.oid, '--', relative || '.'], commit.root).toString('utf8');
  const files: GitFile[] = [];
  for (const record of listing.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, , oid, size] = record.slice(0, tab).split(/ +/);
    const file = record.slice(tab + 1);
    if (!file.startsWith(prefix)) throw new TreeError(`${label}: not a folder`);
    files.push({ path: file.slice(prefix.length), mode, oid, size: size === '-' ? 0 : Number(size) });
  }
  return files;
}

/** What a committed entry is when it is not read: a link, a submodule, or a file too large. */
function entryWithoutReading(file: GitFile): Entry | undefined {
  if (file.mode === SYMLINK_MODE) return { what: 'a symbolic link (not followed)' };
  if (file.mode === SUBMODULE_MODE) return { what: 'a submodule (not read)' };
  if (file.size > MAX_FILE_BYTES) return { what: `larger than ${MAX_FILE_BYTES / 2 ** 20} MiB (not read)` };
  return undefined;
}

/** The content of each file's blob, by object id, in one `git cat-file --batch` (one process, however many files). */
function readBlobs(commit: Commit, files: readonly GitFile[]): Map<string, Buffer> {
  const oids = [...new Set(files.map((f) => f.oid))];
  const blobs = new Map<string, Buffer>();
  if (oids.length === 0) return blobs;
  const size = files.reduce((sum, f) => sum + f.size, 0) + oids.length * 128;
  const out = git(['cat-file', '--batch'], commit.root, `${oids.join('\n')}\n`, size);
  let at = 0;
  for (const oid of oids) {
    const end = out.indexOf(10, at);
    const [, type, length] = out.subarray(at, end).toString('utf8').split(' ');
    if (type !== 'blob') throw new TreeError(`git cat-file: object ${oid} is not a blob in this repository`);
    blobs.set(oid, out.subarray(end + 1, end + 1 + Number(length)));
    at = end + 1 + Number(length) + 1;
  }
  return blobs;
}

function decode(bytes: Buffer): Entry {
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return { what: 'not valid UTF-8 (not shown)' };
  }
}

/** git's standard output; a TreeError with git's first line of complaint when it fails. */
function git(args: readonly string[], cwd: string, input?: string, expected = 0): Buffer {
  const run = spawnSync('git', ['--literal-pathspecs', ...args], {
    cwd,
    input,
    maxBuffer: Math.max(64 * 2 ** 20, expected * 2),
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    throw new TreeError(code === 'ENOENT' ? '--base needs git, which is not installed (or not on PATH)' : `git ${args[0]}: ${run.error.message}`);
  }
  if (run.status !== 0) {
    const complaint = run.stderr.toString('utf8').split('\n').find((l) => l.trim()) ?? `exit ${run.status}`;
    throw new TreeError(`git ${args[0]}: ${printableName(complaint.replace(/^fatal: /, ''))}`);
  }
  return run.stdout;
}
