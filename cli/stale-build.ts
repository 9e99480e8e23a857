import * as fs from 'fs';
import * as path from 'path';

/** The TypeScript sources compiled into lib/, relative to the repository root. */
const SOURCES = ['main.ts', 'index.ts', 'cli', 'constructs', 'live', 'pipeline', 'plugin', 'policies', 'review', 'velero'];

/**
 * In a checkout of this repository, the npm scripts run the compiled lib/: a note when a
 * TypeScript source is newer than it, so an edit is not silently ignored. Installed as a package
 * (no sources beside lib/) or run from the sources themselves, there is nothing to say.
 */
export function staleBuildNote(entry: string): string | undefined {
  const lib = path.dirname(entry);
  const root = path.dirname(lib);
  if (path.basename(lib) !== 'lib' || !fs.existsSync(path.join(root, 'main.ts'))) return undefined;
  const built = fs.statSync(entry).mtimeMs;
  const newer = (file: string): boolean => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return fs.readdirSync(file).some((name) => newer(path.join(file, name)));
    return file.endsWith('.ts') && stat.mtimeMs > built;
  };
  return SOURCES.some((source) => fs.existsSync(path.join(root, source)) && newer(path.join(root, source)))
    ? 'note: lib/ is older than the TypeScript sources; run `npm run build` (npm test does) to use your changes'
    : undefined;
}
