import * as fs from 'fs';
import * as path from 'path';
import { OutputError } from './error';

/** Kernel file systems: replacing a folder there is never what the user meant. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Checks that `outDir` can be replaced by a rename beside it, before anything is locked, read
 * or written: it is named, it is no symbolic link (never followed), it is not under /proc, /sys
 * or /dev, it is no mount point (a rename cannot cross one), and every folder leading to it is
 * a real directory. The last rule matters because a checkout can contain symbolic links: with
 * `--output gen/dist` and `gen -> /etc`, the staging folder must not land in /etc.
 */
export function checkOutputPath(outDir: string): void {
  if (outDir === '') throw new OutputError('the output folder is an empty string: name a folder, such as dist');
  const absolute = path.resolve(outDir);
  if (absolute === path.parse(absolute).root) throw new OutputError(`${outDir} is the root folder: point --output at a folder of its own`);
  const parent = path.dirname(absolute);
  rejectSystemPath(outDir, absolute);
  for (const folder of foldersLeadingTo(absolute)) {
    const st = lstat(folder);
    if (!st) throw new OutputError(`${outDir}: the folder ${folder} does not exist (create it first)`);
    if (st.isSymbolicLink()) throw new OutputError(`${outDir}: ${folder} is a symbolic link (not followed); the output must be reached through real folders`);
    if (!st.isDirectory()) throw new OutputError(`${outDir}: ${folder} is not a folder`);
  }
  rejectSystemPath(outDir, path.join(fs.realpathSync(parent), path.basename(absolute)));
  const st = lstat(absolute);
  if (st?.isSymbolicLink()) throw new OutputError(`${outDir} is a symbolic link (not followed): point --output at a real folder`);
  if (st && !st.isDirectory()) throw new OutputError(`${outDir} is a file, not a folder`);
  if (st && st.dev !== fs.statSync(parent).dev) {
    throw new OutputError(`${outDir} is a mount point: it cannot be replaced by a rename; point --output at a folder inside it`);
  }
}

/** The parent, and for an output inside the working directory every folder between the two. */
function foldersLeadingTo(absolute: string): string[] {
  const parent = path.dirname(absolute);
  const relative = path.relative(process.cwd(), parent);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return [parent];
  const parts = relative.split(path.sep);
  return parts.map((_, i) => path.join(process.cwd(), ...parts.slice(0, i + 1)));
}

function rejectSystemPath(outDir: string, absolute: string): void {
  const root = SYSTEM_ROOTS.find((r) => absolute === r || absolute.startsWith(`${r}/`));
  if (root) throw new OutputError(`${outDir} is under ${root}: point --output at an ordinary folder`);
}

function lstat(p: string): fs.Stats | undefined {
  return fs.lstatSync(p, { throwIfNoEntry: false });
}
