/**
 * The review report as Markdown for a pull-request comment or a CI job summary: what happens to
 * the clusters first (deletions, Velero upgrades, entries not read), then each group of
 * environments with the same change, the GitOps wiring and the new policy warnings. User text
 * goes through markdown-text.ts; every list is capped, and the groups share a character budget,
 * so the report stays well inside a GitHub comment (65,536 characters) whatever the change.
 */
import * as semver from 'semver';
import { formatFinding } from '../pipeline/findings';
import { appendSegment } from './json-diff';
import { abbreviate, code, fenced, listed, plural } from './markdown-text';
import type { EnvironmentGroup, FieldChange, ObjectChange, Review } from './model';
import type { RestartReason, Rollout } from './rollout';

/** Environment names shown per group before "… and N more". */
const NAMES = 5;
/** Items of a list (objects, files, fields) shown before "… and N more". */
const ITEMS = 20;
/** Characters of a value shown; a 64-character hash or a long JSON is cut. */
const VALUE = 60;
/** Characters of a key path shown: Kubernetes paths run long (`spec.template.spec.affinity.nodeAffinity…`). */
const PATH = 200;
/** Characters the environment groups may take together; the rest are counted, not shown. */
const GROUPS_BUDGET = 40_000;

const REASONS: Readonly<Record<Exclude<RestartReason, 'other'>, string>> = {
  config: 'the config hash `checksum/node-agent-config` (the ConfigMap changed)',
  image: 'the image',
  args: 'the command or args',
  env: 'env',
  volumes: 'volumes or volume mounts',
};

export function toMarkdown(review: Review): string {
  const { summary } = review;
  if (isUnchanged(review)) return `No change to the rendered manifests (${plural(summary.environments, 'environment')}).`;
  const out = [`## node-agent review: ${code(review.before)} -> ${code(review.after)}`, ''];
  out.push(
    '| environments | count |',
    '|---|---:|',
    ...(['changed', 'added', 'removed', 'unchanged'] as const).map((kind) => `| ${kind} | ${summary[kind]} |`),
    '',
    summary.restarting ? `node-agent restarts in ${summary.restarting} of ${plural(summary.environments, 'environment')}.` : 'No node-agent restarts.',
  );
  out.push(...deletions(review), ...upgrades(review), ...notRead(review), ...groups(review), ...wiring(review), ...warnings(review));
  return out.join('\n');
}

function isUnchanged(review: Review): boolean {
  const { environments, wiring, notRead, warnings } = review;
  return environments.length + wiring.added.length + wiring.removed.length + wiring.changed.length + notRead.length === 0 &&
    !warnings?.findings.length && !warnings?.errors;
}

/** Group names: `east`, or `east-001, east-002, … and 295 more`; environment names are DNS labels (review/tree.ts), safe as they are. */
const names = (group: EnvironmentGroup) => listed(group.environments, NAMES);

/** A callout (GitHub renders `> [!CAUTION]` as one; elsewhere it is a quote). */
function callout(kind: string, lines: string[]): string[] {
  return lines.length ? ['', `> [!${kind}]`, ...lines.map((l) => (l ? `> ${l}` : '>'))] : [];
}

/**
 * What leaves the cluster, and what leaves the render but stays on the cluster: a Namespace the
 * tools never delete, a removed environment whose wiring orphans its objects. Where the tree has no
 * wiring for a removed environment, what syncs its folder decides, and the report says so.
 */
function deletions(review: Review): string[] {
  const deleted: string[] = [];
  const kept: string[] = [];
  let namespaces = false;
  for (const group of review.environments) {
    const removed = group.objects.filter((o) => o.change === 'removed');
    const gone = removed.filter((o) => !o.retainedBy).map((o) => o.object);
    const staying = removed.filter((o) => o.retainedBy);
    const stays = staying.map((o) => `${code(o.object)} stays: ${o.retainedBy!.join(' and ')} never delete${o.retainedBy!.length === 1 ? 's' : ''} it (its annotations)`);
    const one = group.environments.length === 1;
    if (group.change === 'removed') {
      const removal = group.removal ?? [];
      const deleters = removal.filter((r) => r.deletes);
      const why = (rs: typeof removal) => rs.map((r) => `${r.tool}: ${r.why}`).join('; ');
      if (removal.length && !deleters.length) {
        kept.push(`- ${names(group)}: removed from the render, but ${objectList(removed.map((o) => o.object))} stay on the cluster, unmanaged, as last synced (${why(removal)})`);
        continue;
      }
      namespaces ||= gone.some((id) => id.startsWith('Namespace '));
      const removedThem = `${one ? 'the environment is' : 'the environments are'} removed`;
      const also = stays.length ? `; ${stays.join('; ')}` : '';
      deleted.push(deleters.length
        ? `- ${names(group)}: ${removedThem}, and with ${one ? 'it' : 'them'} ${objectList(gone)} (${why(deleters)})${also}`
        : `- ${names(group)}: ${removedThem}; whether ${objectList(gone)} ${gone.length === 1 ? 'leaves' : 'leave'} the cluster depends on what syncs ${one ? 'its folder' : 'their folders'}, ` +
          'for which `_gitops/` had no wiring (an Argo CD Application deletes its objects with itself only under `resources-finalizer.argocd.argoproj.io`, ' +
          `a Flux Kustomization when it prunes)${also}`);
      continue;
    }
    const namespace = gone.filter((id) => id.startsWith('Namespace '));
    if (namespace.length) {
      namespaces = true;
      deleted.push(`- ${names(group)}: ${objectList(namespace)} removed`);
    }
    staying.forEach((o, i) => {
      const outOfSync = o.retainedBy!.includes('Argo CD') ? '; Argo CD shows the Application OutOfSync until the object loses its tracking annotation or label (README "Argo CD and Flux")' : '';
      kept.push(`- ${names(group)}: ${stays[i]}${outOfSync}`);
    });
  }
  return [
    ...callout('CAUTION', deleted.length ? [
      '**Deletions on the cluster.** Argo CD and Flux, where they prune, delete what is no longer rendered:',
      ...cap(deleted, ITEMS, 'more groups of environments'),
      ...(namespaces ? ['', 'Deleting a Namespace deletes everything in it: node-agent, the Velero server and its resources (Backups, Schedules, BackupStorageLocations) included.'] : []),
    ] : []),
    ...callout('WARNING', kept.length ? [
      '**Left on the cluster.** No longer rendered, but neither Argo CD nor Flux deletes these; remove them by hand when that is meant:',
      ...cap(kept, ITEMS, 'more groups of environments'),
    ] : []),
  ];
}

function upgrades(review: Review): string[] {
  const lines = review.environments.filter(versionChanged).map((g) => `- ${names(g)}: ${version(g)}`);
  return callout('IMPORTANT', lines.length ? [
    '**Velero release change.** The Velero server and its CRDs, which this tool does not render, must be on the new release first (`velero install --crds-only`, or the Helm chart); node-agent follows when this change is applied:',
    ...cap(lines, ITEMS, 'more groups of environments'),
  ] : []);
}

function notRead(review: Review): string[] {
  const lines = review.notRead.map((n) => `- ${code(n.tree)} ${code(n.path)}: ${n.what}`);
  return callout('WARNING', lines.length ? [
    '**Not read.** These entries are not regular UTF-8 YAML files; they were neither read nor followed, and what Argo CD or Flux make of them is not shown here. Look at them in the pull request itself:',
    ...cap(lines, ITEMS, 'more entries'),
  ] : []);
}

const versionChanged = (g: EnvironmentGroup) => g.change === 'changed' && g.velero !== null;
const isDowngrade = ({ velero }: EnvironmentGroup) =>
  !!velero?.before && !!velero.after && !!semver.valid(velero.before) && !!semver.valid(velero.after) && semver.lt(velero.after, velero.before);

/** Only for a changed environment's release change, where both sides are known. */
function version(group: EnvironmentGroup): string {
  const { before, after } = group.velero!;
  return `Velero ${code(before!)} -> ${code(after!)}${isDowngrade(group) ? ' (a downgrade)' : ''}`;
}

function groups(review: Review): string[] {
  const out: string[] = [];
  let used = 0;
  for (const [i, group] of review.environments.entries()) {
    const section = groupSection(group, GROUPS_BUDGET - used);
    if (!section) {
      const rest = review.environments.slice(i);
      const environments = rest.reduce((n, g) => n + g.environments.length, 0);
      out.push('', `… ${plural(rest.length, 'more group')} of environments (${plural(environments, 'environment')}) not shown, to keep this report short: \`--format json\` has them all.`);
      break;
    }
    out.push(...section);
    used += size(section);
  }
  return out;
}

const size = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0);

/**
 * One group: its restarts and objects, then the detail blocks that fit in `budget` characters;
 * undefined when not even the summary fits.
 */
function groupSection(group: EnvironmentGroup, budget: number): string[] | undefined {
  const title = { changed: 'Changed', added: 'Added', removed: 'Removed' }[group.change];
  const count = group.environments.length > 1 ? ` (${plural(group.environments.length, 'environment')})` : '';
  const out = ['', `### ${title}: ${names(group)}${count}`, ''];
  if (versionChanged(group)) {
    out.push(`${version(group)}: ${isDowngrade(group) ? 'downgrade' : 'upgrade'} the Velero server and its CRDs first; this tool does not render them.`, '');
  } else if (group.change === 'added' && group.velero?.after) {
    out.push(`Velero ${code(group.velero.after)}.`, '');
  }
  out.push(...cap(group.rollouts.map(rolloutLine), ITEMS, 'more DaemonSets'));
  if (group.configNotRolled) {
    out.push('- **The ConfigMap changed, but a DaemonSet does not restart**: node-agent reads its ConfigMap only at startup, so its pods keep the old configuration until they restart.');
  }
  for (const change of ['added', 'removed', 'changed'] as const) {
    const objects = group.objects.filter((o) => o.change === change).map((o) => o.object);
    if (objects.length) out.push(`- Objects ${change}: ${objectList(objects)}`);
  }
  if (size(out) > budget) return undefined;
  const blocks = group.objects.map(details).filter((block) => block.length);
  for (const [i, block] of blocks.entries()) {
    if (size(out) + size(block) > budget) {
      out.push('', `… the changes of ${plural(blocks.length - i, 'more object')} not shown, to keep this report short: \`--format json\` has them all.`);
      break;
    }
    out.push(...block);
  }
  return out;
}

function rolloutLine(r: Rollout): string {
  const daemonSet = code(r.daemonSet);
  switch (r.action) {
    case 'start':
      return `- ${daemonSet} is new: its pods start`;
    case 'delete':
      return `- ${daemonSet} is removed: its pods are deleted`;
    case 'none':
      return `- ${daemonSet} does not restart: its pod template is unchanged`;
    case 'restart': {
      const reasons = r.reasons.map((reason) =>
        reason === 'other' ? `other pod template fields (${listed(r.otherFields.map((f) => code(f)), ITEMS)})` : REASONS[reason],
      );
      return `- **${daemonSet} restarts** (every pod is replaced), because of ${reasons.join(', ')}`;
    }
  }
}

/** The ConfigMap's JSON key by key, then the fields of the object, each in a fenced block. */
function details(object: ObjectChange): string[] {
  const out: string[] = [];
  for (const { key, changes } of object.config) {
    out.push('', `${code(object.object)}, ${code(key)}:`, '', ...fenced(cap(changes.flatMap(changeLines), ITEMS, 'more keys')));
  }
  if (object.fields.length) out.push('', `${code(object.object)}:`, '', ...fenced(cap(object.fields.flatMap(changeLines), ITEMS, 'more fields')));
  return out;
}

/**
 * `backupPVC.ceph-rbd.readOnly: true -> false`, `loadConcurrency.globalConfig: added 2`,
 * `podResources: removed`. An added map or list too long for one line is shown leaf by leaf, so
 * that no new value is cut short.
 */
function changeLines(c: FieldChange): string[] {
  const value = (v: unknown) => abbreviate(JSON.stringify(v), VALUE);
  const at = abbreviate(c.path || '(the whole value)', PATH);
  if (c.change === 'removed') return [`${at}: removed`];
  if (c.change === 'changed') return [`${at}: ${value(c.before)} -> ${value(c.after)}`];
  const after = c.after;
  if (typeof after === 'object' && after !== null && JSON.stringify(after).length > VALUE) {
    const members: [string | number, unknown][] = Array.isArray(after) ? after.map((v, i) => [i, v]) : Object.entries(after);
    return members.flatMap(([key, v]) => changeLines({ path: appendSegment(c.path, key), change: 'added', after: v }));
  }
  return [`${at}: added ${value(after)}`];
}

function objectList(ids: readonly string[]): string {
  return listed(ids.map((id) => code(id)), ITEMS);
}

function wiring(review: Review): string[] {
  const { added, removed, changed } = review.wiring;
  if (!added.length && !removed.length && !changed.length) return [];
  const line = (what: string, files: readonly string[]) => (files.length ? [`- Files ${what}: ${listed(files.map((f) => code(f)), ITEMS)}`] : []);
  return [
    '', '### GitOps wiring', '',
    'The top-level `_*` folders, which are not environments:', '',
    ...line('added', added), ...line('removed', removed), ...line('changed', changed),
  ];
}

function warnings(review: Review): string[] {
  const { warnings: found } = review;
  if (!found) {
    return ['', 'Policy warnings were not compared (two folders hold no environments to validate): `velero-node-agent diff --base GIT_REF`, in the repository, lists the warnings a change adds.'];
  }
  const out: string[] = [];
  if (found.errors) out.push('', `**The environments have ${plural(found.errors, 'error')}**: the committed manifests cannot be what they render. \`velero-node-agent validate\` lists them.`);
  if (!found.findings.length) return [...out, '', 'No new policy warnings.'];
  const lines = found.findings.map((f) => abbreviate(formatFinding(f), 8 * VALUE));
  return [...out, '', `### New policy warnings (${found.findings.length})`, '', ...fenced(cap(lines, ITEMS, 'more warnings'))];
}

/** The first `max` lines, and one that counts the rest. */
function cap(lines: readonly string[], max: number, more: string): string[] {
  return lines.length <= max + 1 ? [...lines] : [...lines.slice(0, max), `… and ${lines.length - max} ${more}`];
}
