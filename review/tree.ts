/**
 * A rendered tree (`dist/`) as the review report reads it, from a folder or from git. In a pull
 * request its author wrote it, so the readers never follow a symbolic link, never open anything
 * but a regular file, read a bounded amount, and decode strict UTF-8; what they did not read is an
 * entry that says so. Then this module sorts the entries into environments and GitOps wiring.
 */
import { isRenderedFile } from '../pipeline/render';
import { printableName } from '../pipeline/output/printable';
import { DNS_LABEL_PATTERN } from '../policies/schema/keywords';

/** A file's text, or what the entry is when it was not read. */
export type Entry = { readonly text: string } | { readonly what: string };

/** A tree that cannot be compared: exit 1 with the message. */
export class TreeError extends Error {}

export interface NotRead {
  /** Path inside the tree, `east/leak.yaml`. */
  readonly path: string;
  readonly what: string;
}

export interface RenderedTree {
  /** How the report names the tree: `dist`, `origin/main:dist`. */
  readonly label: string;
  /** Whether the folder exists at all (at a git ref it may not yet). */
  readonly exists: boolean;
  /** Environment name -> file name -> entry, only the entries that were read as text. */
  readonly environments: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Files under the top-level `_*` entries (the GitOps wiring) that were read, by path. */
  readonly wiring: ReadonlyMap<string, string>;
  /** Every entry that was not read, sorted by path. */
  readonly notRead: readonly NotRead[];
}

const DNS_LABEL = new RegExp(DNS_LABEL_PATTERN);
const KUSTOMIZATION = 'kustomization.yaml';

/**
 * Sorts a tree's entries (paths relative to its root, `/`-separated, folders implied) into
 * environments and wiring. A top-level folder is an environment when its name is a DNS label and
 * its kustomization.yaml carries this tool's header; `_*` entries are the GitOps wiring; anything
 * else means the tree is not this tool's, and nothing about it can be said.
 */
export function sortTree(label: string, exists: boolean, entries: ReadonlyMap<string, Entry>): RenderedTree {
  const environments = new Map<string, Map<string, string>>();
  const wiring = new Map<string, string>();
  const notRead = new Map<string, string>();
  const folders = new Set<string>();
  const foreign = (top: string, why: string) =>
    new TreeError(`${printableName(`${label}/${top}`)}: ${why}; not a tree rendered by velero-node-agent (compare two output folders of synth)`);

  for (const [entryPath, entry] of entries) {
    const [top, ...rest] = entryPath.split('/');
    if (top.startsWith('_')) {
      if ('what' in entry) notRead.set(entryPath, entry.what);
      else wiring.set(entryPath, entry.text);
    } else if (rest.length === 0) {
      // A symbolic link or a FIFO in place of an environment folder is reported, never followed.
      if ('what' in entry) notRead.set(entryPath, entry.what);
      else throw foreign(top, 'a file where environment folders belong');
    } else if (!DNS_LABEL.test(top)) {
      throw foreign(top, 'a folder whose name is not an environment name (a DNS label)');
    } else {
      folders.add(top);
      if (rest.length > 1) notRead.set(`${top}/${rest[0]}`, 'a folder, not a file');
      else if ('what' in entry) notRead.set(entryPath, entry.what);
      else environments.set(top, (environments.get(top) ?? new Map<string, string>()).set(rest[0], entry.text));
    }
  }
  for (const top of [...folders].sort()) {
    const kustomization = environments.get(top)?.get(KUSTOMIZATION);
    if (kustomization === undefined || !isRenderedFile(kustomization)) {
      const what = notRead.get(`${top}/${KUSTOMIZATION}`);
      throw foreign(top, what ? `its ${KUSTOMIZATION} is ${what}` : `no ${KUSTOMIZATION} starting with the "# Rendered from ... Do not edit." header`);
    }
  }
  const sorted = <T>(map: Map<string, T>) => new Map([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    label,
    exists,
    environments: sorted(environments),
    wiring: sorted(wiring),
    notRead: [...sorted(notRead)].map(([p, what]) => ({ path: p, what })),
  };
}
