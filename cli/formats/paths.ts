import * as path from 'path';

/**
 * A finding's file as CI systems name files: relative to the working directory (the repository
 * root in CI) with forward slashes, also for a path written on Windows. A file outside the
 * working directory keeps its absolute path, with forward slashes.
 */
export function repositoryPath(file: string, cwd: string): string {
  const windows = /^[A-Za-z]:[\\/]|^\\\\/.test(file) || /^[A-Za-z]:[\\/]/.test(cwd);
  const p = windows ? path.win32 : path.posix;
  const relative = p.isAbsolute(file) ? p.relative(cwd, file) : file;
  const inside = relative !== '' && relative !== '..' && !relative.startsWith(`..${p.sep}`) && !p.isAbsolute(relative);
  return (inside ? relative : file).replace(/\\/g, '/');
}
