import { createTwoFilesPatch } from 'diff';
import * as fs from 'fs';
import * as path from 'path';
import { RenderedEnvironment } from './render';

/** A problem with the output folder itself (not with an environment). */
export class OutputError extends Error {}

/**
 * Replaces `outDir` with exactly the rendered environments, all or nothing: the new tree is
 * written beside it and swapped in with renames, so a failure leaves the old tree as it was.
 */
export function writeTree(outDir: string, rendered: readonly RenderedEnvironment[]): void {
  assertOwned(outDir);
  const parent = path.dirname(path.resolve(outDir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(outDir)}.tmp-`));
  const old = `${staging}-old`;
  let moved = false;
  try {
    fs.chmodSync(staging, 0o777 & ~process.umask()); // mkdtemp makes it 0700
    fillTree(staging, rendered);
    if (fs.existsSync(outDir)) {
      fs.renameSync(outDir, old);
      moved = true;
    }
    fs.renameSync(staging, outDir);
  } catch (e) {
    if (moved && !fs.existsSync(outDir)) fs.renameSync(old, outDir);
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  fs.rmSync(old, { recursive: true, force: true });
}

/** Writes the rendered environments into an empty (or new) folder. */
function fillTree(dir: string, rendered: readonly RenderedEnvironment[]): void {
  for (const { name, files } of rendered) {
    fs.mkdirSync(path.join(dir, name), { recursive: true });
    for (const [file, content] of files) fs.writeFileSync(path.join(dir, name, file), content);
  }
}

/**
 * Refuses to replace a folder this tool did not write: every entry must be an environment
 * folder with a kustomization.yaml. Guards against `--output` pointing at the wrong place.
 */
export function assertOwned(outDir: string): void {
  if (!fs.existsSync(outDir)) return;
  if (!fs.statSync(outDir).isDirectory()) throw new OutputError(`${outDir} is a file, not a folder`);
  const foreign = fs
    .readdirSync(outDir, { withFileTypes: true })
    .find((e) => !e.isDirectory() || !fs.existsSync(path.join(outDir, e.name, 'kustomization.yaml')));
  if (foreign) {
    throw new OutputError(
      `refusing to replace ${outDir}: ${path.join(outDir, foreign.name)} was not rendered by this tool ` +
        '(the output folder is replaced whole; point --output at a folder of its own)',
    );
  }
}

interface Difference {
  /** `<env>/<file>`. */
  readonly file: string;
  /** What is on disk, or undefined when the file is missing. */
  readonly actual?: string;
  /** What a fresh render gives, or undefined when no environment renders the file. */
  readonly expected?: string;
}

function differences(outDir: string, rendered: readonly RenderedEnvironment[]): Difference[] {
  const expected = new Map<string, string>();
  for (const { name, files } of rendered) for (const [file, content] of files) expected.set(path.join(name, file), content);
  const actual = new Map<string, string>();
  const walk = (rel: string) => {
    const full = path.join(outDir, rel);
    for (const e of fs.existsSync(full) ? fs.readdirSync(full, { withFileTypes: true }) : []) {
      const child = path.join(rel, e.name);
      if (e.isDirectory()) walk(child);
      else actual.set(child, fs.readFileSync(path.join(outDir, child), 'utf8'));
    }
  };
  walk('');
  return [...new Set([...expected.keys(), ...actual.keys()])]
    .filter((file) => expected.get(file) !== actual.get(file))
    .sort()
    .map((file) => ({ file, actual: actual.get(file), expected: expected.get(file) }));
}

/** Every difference between `outDir` and the rendered tree, as `path: what` lines. */
export function compareTree(outDir: string, rendered: readonly RenderedEnvironment[]): string[] {
  return differences(outDir, rendered).map(({ file, actual, expected }) => {
    const what = actual === undefined ? 'missing' : expected === undefined ? 'not rendered by any environment' : 'differs from a fresh render';
    return `${path.join(outDir, file)}: ${what}`;
  });
}

/** The same differences as a unified diff, per environment, from what is on disk to a fresh render. */
export function diffTree(outDir: string, rendered: readonly RenderedEnvironment[]): string {
  return differences(outDir, rendered)
    .map(({ file, actual, expected }) => {
      const on = (v: string | undefined) => (v === undefined ? '/dev/null' : path.join(outDir, file));
      return createTwoFilesPatch(on(actual), on(expected), actual ?? '', expected ?? '', 'committed', 'fresh render');
    })
    .join('');
}
