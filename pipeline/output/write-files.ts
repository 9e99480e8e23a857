import * as fs from 'fs';
import * as path from 'path';
import { readEntry } from './read';

/** One folder's files: relative file path -> content. */
export interface FolderFiles {
  /** Absolute path of the folder; created with its parents. */
  readonly folder: string;
  readonly files: ReadonlyMap<string, string>;
  /**
   * The same folder in the tree being replaced: a file there with the same content and the mode
   * a new file gets is hard-linked instead of written.
   * @default - every file is written
   */
  readonly reuseFrom?: string;
}

/** Writes folders of files; see writeFolder. */
export function writeFolders(folders: readonly FolderFiles[]): void {
  for (const folder of folders) writeFolder(folder);
}

/**
 * Writes one folder's files, creating the folder and any sub-folder a file names. A file that the
 * tree being replaced already holds, byte for byte, is linked rather than created: on a busy
 * virtual disk a create costs about 170 µs and a link about 40 µs (measured here), and a synth
 * usually changes few files. Sharing the inode is safe: no file of a rendered tree is ever
 * written in place, each synth stages a new tree. The old file is read as any committed output
 * is (pipeline/output/read.ts): never through a link, never a special file.
 */
export function writeFolder({ folder, files, reuseFrom }: FolderFiles): void {
  fs.mkdirSync(folder, { recursive: true });
  const mode = newFileMode();
  for (const [file, content] of files) {
    const target = path.join(folder, file);
    if (file.includes('/')) fs.mkdirSync(path.dirname(target), { recursive: true });
    if (reuseFrom === undefined || !link(path.join(reuseFrom, file), target, content, mode)) fs.writeFileSync(target, content);
  }
}

let umask: number | undefined;
/** The mode writeFileSync gives a new file; process.umask() is two system calls, so it is read once. */
const newFileMode = () => 0o666 & ~(umask ??= process.umask());

/** Links `old` to `target` when it holds exactly `content` with `mode`; false when it does not, or cannot be linked. */
function link(old: string, target: string, content: string, mode: number): boolean {
  const st = fs.lstatSync(old, { throwIfNoEntry: false });
  if (!st?.isFile() || (st.mode & 0o7777) !== mode || st.size !== Buffer.byteLength(content)) return false;
  const entry = readEntry(old);
  if (!('text' in entry) || entry.text !== content) return false;
  try {
    fs.linkSync(old, target);
  } catch {
    return false; // a file system without hard links: write it instead
  }
  // link() does not follow a symbolic link: had the file been swapped for one since, it is undone.
  const linked = fs.lstatSync(target);
  if (linked.isFile() && linked.ino === st.ino) return true;
  fs.unlinkSync(target);
  return false;
}
