/**
 * The review report: what a change does to the rendered manifests, for a pull request. Reads two
 * rendered trees (two folders, or a git ref and the working tree), compares them (model.ts) and
 * renders Markdown (markdown.ts) or JSON (json.ts). Errors reading a tree are TreeErrors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { printableName } from '../pipeline/output/printable';
import { exportFolder, readGitTree, resolveCommit } from './git';
import { compareTrees, Review } from './model';
import { readFolderTree } from './read-folder';
import { TreeError } from './tree';
import { newWarnings } from './warnings';

export { toJson } from './json';
export { toMarkdown } from './markdown';
export type { Review } from './model';
export { TreeError } from './tree';

/** Two rendered folders; there are no environments to take warnings from. */
export function reviewFolders(before: string, after: string): Review {
  return compareTrees(readFolderTree(before), readFolderTree(after), null);
}

/**
 * `output` as committed at `ref` against the working tree's, and the policy warnings of
 * `environments` the working tree has and `ref` had not.
 */
export function reviewBase(ref: string, output: string, environments: string): Review {
  const commit = resolveCommit(ref);
  const before = readGitTree(commit, output);
  // A pull request may remove the whole output folder: that is every environment deleted.
  const after = readFolderTree(output, 'empty');
  if (!before.exists && !after.exists) {
    throw new TreeError(`${printableName(output)} is neither in the working tree nor at ${printableName(ref)}: name the rendered folder with --output`);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'velero-node-agent-base-'));
  try {
    const exported = exportFolder(commit, environments, scratch) ? scratch : undefined;
    return compareTrees(before, after, newWarnings(exported, environments, output));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
