/**
 * The review report, `diff`: trees rendered from the fixture fleet in test/fixtures/review/fleet
 * (edited per case) or written by hand, compared in-process, and the Markdown held against the
 * golden files beside the fleet, each written and reviewed by hand. `--base` runs the compiled
 * command in a temporary git repository. Nothing reads environments/ or dist/.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { outputFolders, synthesize } from '../pipeline/synth';
import { rollout } from '../review/rollout';
import { BIN, cli, tmp } from './helpers';

const FIXTURES = path.join(__dirname, 'fixtures', 'review');
const FLEET = path.join(FIXTURES, 'fleet');
const STACK_TRACE_LINE = /^\s{4}at /m;
const golden = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

type Edit = string | null | ((text: string) => string);

/** A copy of the fixture fleet with edits: a file's new text, a function of its text, or null to delete it. */
function fleet(edits: Record<string, Edit> = {}, into = tmp('review-envs-')): string {
  fs.mkdirSync(into, { recursive: true });
  for (const file of fs.readdirSync(FLEET)) fs.copyFileSync(path.join(FLEET, file), path.join(into, file));
  for (const [file, edit] of Object.entries(edits)) {
    const at = path.join(into, file);
    if (edit === null) fs.rmSync(at);
    else fs.writeFileSync(at, typeof edit === 'string' ? edit : edit(fs.readFileSync(at, 'utf8')));
  }
  return into;
}

/** Renders an environments folder into a tree as synth writes it (in `into`, or a new folder). */
function renderTree(environments: string, into = tmp('review-tree-')): string {
  const result = synthesize(environments);
  if (!result.rendered.length) throw new Error(`nothing rendered: ${JSON.stringify(result.findings, null, 2)}`);
  for (const { name, files } of outputFolders(result)) {
    for (const [file, text] of files) {
      fs.mkdirSync(path.dirname(path.join(into, name, file)), { recursive: true });
      fs.writeFileSync(path.join(into, name, file), text);
    }
  }
  return into;
}

/** `diff BEFORE AFTER ARGS` in-process; the temporary folders read `before` and `after` in the output. */
function diff(before: string, after: string, ...args: string[]) {
  const run = cli(['diff', before, after, ...args]);
  return { ...run, out: run.out.split(before).join('before').split(after).join('after') };
}

/** The printed report, as the golden files hold it (console.log ends it with a newline). */
const printed = (run: { out: string }) => `${run.out}\n`;

const FLEET_CONFIG = [
  '# The review tests\' fleet: what every environment shares.',
  'velero:',
  '  version: 1.17.2',
  '  credentialsSecret: cloud-credentials',
  'config:',
  '  loadConcurrency:',
  '    globalConfig: 2',
  '    prepareQueueLength: 10',
  '',
].join('\n');
const READ_ONLY_FALSE = (text: string) => text.replace('readOnly: true', 'readOnly: false');

/** The fixture fleet with a gitops: block in every environment. */
function wiredFleet(gitops: string, edits: Record<string, Edit> = {}): string {
  const block = `gitops:\n  repoURL: https://git.example.com/fleet.git\n  targetRevision: main\n${gitops}`;
  const wire = (text: string) => `${text}${block}`;
  return fleet({ 'east.yaml': wire, 'north.yaml': wire, 'west.yaml': wire, ...edits });
}

describe('a removed environment on the cluster, as the wiring rendered for it says', () => {
  /** The callout lines about `north` once its file is removed. */
  const northLines = (gitops: string) => {
    const run = diff(renderTree(wiredFleet(gitops)), renderTree(wiredFleet(gitops, { 'north.yaml': null })));
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    const heading = (line: string) => lines.slice(0, lines.indexOf(line)).reverse().find((l) => l.startsWith('> **'));
    return lines.filter((l) => l.startsWith('> - north')).map((l) => [heading(l), l]);
  };
  const LEFT = '> **Left on the cluster.** No longer rendered, but neither Argo CD nor Flux deletes these; remove them by hand when that is meant:';
  const DELETED = '> **Deletions on the cluster.** Argo CD and Flux, where they prune, delete what is no longer rendered:';

  test('an Application without the resources finalizer leaves everything in place', () => {
    expect(northLines('  argocd: {}\n')).toEqual([[LEFT,
      '> - north: removed from the render, but `DaemonSet velero/node-agent`, `Namespace velero` stay on the cluster, unmanaged, as last synced (Argo CD: its Application has no resources finalizer)']]);
  });

  test('cascadeDelete: the DaemonSet is deleted with the Application, the Namespace still stays', () => {
    expect(northLines('  cascadeDelete: true\n  argocd: {}\n')).toEqual([[DELETED,
      '> - north: the environment is removed, and with it `DaemonSet velero/node-agent` (Argo CD: its Application carries `resources-finalizer.argocd.argoproj.io`); `Namespace velero` stays: Argo CD and Flux never delete it (its annotations)']]);
  });

  test('the ApplicationSet preserves resources on deletion', () => {
    expect(northLines('  argocd: {applicationSet: true}\n')).toEqual([[LEFT,
      '> - north: removed from the render, but `DaemonSet velero/node-agent`, `Namespace velero` stay on the cluster, unmanaged, as last synced (Argo CD: the ApplicationSet preserves resources on deletion)']]);
  });

  test('Flux orphans with deletionPolicy: Orphan', () => {
    expect(northLines('  flux: {}\n')).toEqual([[LEFT,
      '> - north: removed from the render, but `DaemonSet velero/node-agent`, `Namespace velero` stay on the cluster, unmanaged, as last synced (Flux: `deletionPolicy: Orphan` on its Kustomization (Flux 2.5 and later))']]);
  });

  test('Flux with cascadeDelete deletes', () => {
    expect(northLines('  cascadeDelete: true\n  flux: {}\n')).toEqual([[DELETED,
      '> - north: the environment is removed, and with it `DaemonSet velero/node-agent` (Flux: its Kustomization prunes on deletion); `Namespace velero` stays: Argo CD and Flux never delete it (its annotations)']]);
  });
});

describe('diff BEFORE_DIR AFTER_DIR: golden Markdown', () => {
  let before: string;
  beforeAll(() => {
    before = renderTree(fleet());
  });

  test('a config change: the ConfigMap key by key, and node-agent restarts because of the config hash', () => {
    const after = renderTree(fleet({ '_fleet.yaml': FLEET_CONFIG, 'east.yaml': READ_ONLY_FALSE }));
    const run = diff(before, after);
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    expect(printed(run)).toBe(golden('config-change.md'));
  });

  test('a Velero version bump: the server and its CRDs first, the new image, a restart', () => {
    const after = renderTree(fleet({ 'west.yaml': (text) => `${text}velero:\n  version: 1.18.1\n` }));
    const run = diff(before, after);
    expect(run.code).toBe(0);
    expect(printed(run)).toBe(golden('version-bump.md'));
  });

  test('a removed environment and a removed Namespace are called out: without wiring, what syncs the folder decides; the Namespace stays', () => {
    const after = renderTree(fleet({ 'north.yaml': null, 'east.yaml': (text) => text.replace('velero:\n  createNamespace: true\n', '') }));
    const run = diff(before, after);
    expect(run.code).toBe(0);
    expect(printed(run)).toBe(golden('removed-environment.md'));
  });

  test('no change: exactly one line, exit 0', () => {
    const run = diff(before, renderTree(fleet()));
    expect(run).toEqual({ code: 0, out: golden('no-change.md').trimEnd(), err: '' });
  });

  test('--format json: the same content as one object, values as they are', () => {
    const after = renderTree(fleet({ '_fleet.yaml': FLEET_CONFIG, 'east.yaml': READ_ONLY_FALSE }));
    const run = diff(before, after, '--format', 'json');
    expect(run.code).toBe(0);
    const restart = (daemonSet: string) => ({ daemonSet, action: 'restart', reasons: ['config'], otherFields: [] });
    const hashOnly = (object: string) => ({ object, change: 'changed', fields: [], config: [] });
    const configMap = (changes: object[]) => ({
      object: 'ConfigMap velero/node-agent-config', change: 'changed', fields: [], config: [{ key: 'node-agent-config.json', changes }],
    });
    const configChanges = [
      { path: 'loadConcurrency.globalConfig', change: 'added', after: 2 },
      { path: 'podResources', change: 'removed', before: { cpuLimit: '500m', cpuRequest: '100m', memoryLimit: '512Mi', memoryRequest: '128Mi' } },
    ];
    expect(JSON.parse(run.out)).toEqual({
      before: 'before',
      after: 'after',
      summary: { environments: 3, changed: 2, added: 0, removed: 0, unchanged: 1, restarting: 2 },
      environments: [
        {
          environments: ['east'],
          change: 'changed',
          velero: null,
          objects: [
            configMap([{ path: 'backupPVC.ceph-rbd.readOnly', change: 'changed', before: true, after: false }, ...configChanges]),
            hashOnly('DaemonSet velero/node-agent'),
            hashOnly('DaemonSet velero/node-agent-windows'),
          ],
          rollouts: [restart('DaemonSet velero/node-agent'), restart('DaemonSet velero/node-agent-windows')],
          configNotRolled: false,
        },
        {
          environments: ['west'],
          change: 'changed',
          velero: null,
          objects: [configMap(configChanges), hashOnly('DaemonSet velero/node-agent')],
          rollouts: [restart('DaemonSet velero/node-agent')],
          configNotRolled: false,
        },
      ],
      wiring: { added: [], removed: [], changed: [] },
      notRead: [],
      warnings: null,
    });
  });
});

describe('a fragment that changes 300 environments', () => {
  /** 300 k0s clusters on the fixture fleet's fragment, every third one on Velero 1.18.1 rather than the fragment's 1.17.2. */
  const fleet300 = (fragment?: string) => {
    const dir = tmp('review-fleet300-');
    fs.copyFileSync(path.join(FLEET, '_fleet.yaml'), path.join(dir, '_fleet.yaml'));
    if (fragment) fs.writeFileSync(path.join(dir, '_fleet.yaml'), fragment);
    for (let i = 1; i <= 300; i++) {
      const release = i % 3 === 0 ? 'velero:\n  version: 1.18.1\n' : '';
      fs.writeFileSync(path.join(dir, `east-${String(i).padStart(3, '0')}.yaml`), `extends: [_fleet.yaml]\nplatform: k0s\n${release}`);
    }
    return dir;
  };

  test('is one section that lists a handful of names and counts the rest, whatever release each runs', () => {
    const fragment = fs.readFileSync(path.join(FLEET, '_fleet.yaml'), 'utf8').replace('    prepareQueueLength: 10\n', '    globalConfig: 2\n    prepareQueueLength: 10\n');
    const run = diff(renderTree(fleet300()), renderTree(fleet300(fragment)));
    expect(run.code).toBe(0);
    expect(printed(run)).toBe(golden('fleet-300.md'));
  });
});

describe('300 environments with 300 different changes', () => {
  const fleet = (offset: number) => {
    const dir = tmp('review-distinct-');
    for (let i = 1; i <= 300; i++) {
      fs.writeFileSync(path.join(dir, `env-${String(i).padStart(3, '0')}.yaml`), `platform: k0s\nvelero:\n  version: 1.18.1\nconfig:\n  loadConcurrency: {globalConfig: ${i + offset}}\n`);
    }
    return dir;
  };

  test('the sections stop within a GitHub comment, and the rest are counted', () => {
    const [before, after] = [renderTree(fleet(0)), renderTree(fleet(1))];
    const run = diff(before, after);
    expect(run.code).toBe(0);
    expect(run.out.length).toBeLessThan(65_536);
    const shown = run.out.split('\n').filter((l) => l.startsWith('### Changed: env-')).length;
    expect(shown).toBeGreaterThan(10);
    expect(run.out).toContain(`\n… ${300 - shown} more groups of environments (${300 - shown} environments) not shown, to keep this report short: \`--format json\` has them all.\n`);
    expect(JSON.parse(diff(before, after, '--format', 'json').out).environments).toHaveLength(300);
  });
});

/** The Markdown outside code spans and fenced blocks: what GitHub would interpret. */
function outsideCode(markdown: string): string {
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    if (fence) {
      if (line === fence) fence = undefined;
      continue;
    }
    const opening = /^(`{3,})text$/.exec(line);
    if (opening) fence = opening[1];
    else kept.push(line.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, 'CODE'));
  }
  expect(fence).toBeUndefined();
  return kept.join('\n');
}

describe('content from the manifests is escaped and bounded', () => {
  const HOSTILE = '`x`\n# forged <script>alert(1)</script> @team | [click](https://evil.example) #1';
  /** A rendered tree whose west ConfigMap was replaced by hand (the header kept), with `files` added to west. */
  function handEdited(configJson: unknown, files: Record<string, string> = {}): string {
    const tree = renderTree(fleet(), tmp('review-hostile-'));
    const file = path.join(tree, 'west', 'configmap-node-agent-config.yaml');
    const header = fs.readFileSync(file, 'utf8').split('\n')[0];
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { component: 'velero' }, name: 'node-agent-config', namespace: 'velero' }, data: { 'node-agent-config.json': JSON.stringify(configJson) } };
    fs.writeFileSync(file, `${header}\n${JSON.stringify(configMap)}\n`);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(tree, 'west', name), `${header}\n${text}`);
    return tree;
  }

  test('a value with |, backticks, <script>, a link and @team cannot become markup, a link, a mention or a new line', () => {
    const before = renderTree(fleet());
    const evilName = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x` <img src=x onerror=alert(1)> ``@team\n# forged', namespace: 'velero' }, data: {} };
    const after = handEdited(
      { loadConcurrency: { prepareQueueLength: 10 }, podLabels: { team: HOSTILE }, '<b>key|</b>': '@team' },
      { 'configmap-evil.yaml': JSON.stringify(evilName) },
    );
    const run = diff(before, after);
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    expect(lines).toContain('- Objects added: ```ConfigMap velero/x` <img src=x onerror=alert(1)> ``@team\\x0a# forged```');
    expect(lines).toContain('["<b>key|</b>"]: added "@team"');
    expect(lines).toContain('podLabels.team: added "`x`\\n# forged <script>alert(1)</script> @team | [click](ht…');
    const outside = outsideCode(run.out);
    expect(outside).not.toMatch(/<|@team|\]\(|#1|forged/);
    expect(outside.split('\n').filter((l) => l.startsWith('#'))).toEqual(['## node-agent review: CODE -> CODE', '### Changed: west']);
    for (const line of outside.split('\n')) if (line.includes('|')) expect(line).toMatch(/^\|.*\|$/);
  });

  test('long lists are cut, and say how many were left out', () => {
    const labels = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`label-${String(i).padStart(2, '0')}`, 'x'.repeat(100)]));
    const run = diff(renderTree(fleet()), handEdited({ loadConcurrency: { prepareQueueLength: 10 }, podLabels: labels }));
    const block = run.out.slice(run.out.indexOf('`node-agent-config.json`:'));
    expect(block).toContain(`podLabels.label-19: added "${'x'.repeat(58)}…\n… and 11 more keys\n`);
    expect(block).not.toContain('label-20');
  });

  test('a ConfigMap changed by hand without the config hash: node-agent does not restart, and the report says so', () => {
    const run = diff(renderTree(fleet()), handEdited({ loadConcurrency: { prepareQueueLength: 20 } }));
    expect(run.out).toContain([
      '### Changed: west',
      '',
      '- `DaemonSet velero/node-agent` does not restart: its pod template is unchanged',
      '- **The ConfigMap changed, but a DaemonSet does not restart**: node-agent reads its ConfigMap only at startup, so its pods keep the old configuration until they restart.',
      '- Objects changed: `ConfigMap velero/node-agent-config`',
    ].join('\n'));
    expect(run.out).toContain('loadConcurrency.prepareQueueLength: 10 -> 20\npodResources: removed\n');
  });
});

describe('entries that are not regular files are reported, never followed', () => {
  test('a symbolic link in an environment folder and one in place of an environment', () => {
    const secret = path.join(tmp('review-secret-'), 'secret.yaml');
    fs.writeFileSync(secret, 'kind: Secret\nSECRET-CONTENT: 1\n');
    const before = renderTree(fleet());
    const after = renderTree(fleet());
    fs.symlinkSync(secret, path.join(after, 'west', 'leak.yaml'));
    fs.symlinkSync(path.join(after, 'west'), path.join(after, 'south'));
    const run = diff(before, after);
    expect(run.code).toBe(0);
    expect(printed(run)).toBe([
      '## node-agent review: `before` -> `after`',
      '',
      '| environments | count |',
      '|---|---:|',
      '| changed | 0 |',
      '| added | 0 |',
      '| removed | 0 |',
      '| unchanged | 3 |',
      '',
      'No node-agent restarts.',
      '',
      '> [!WARNING]',
      '> **Not read.** These entries are not regular UTF-8 YAML files; they were neither read nor followed, and what Argo CD or Flux make of them is not shown here. Look at them in the pull request itself:',
      '> - `after` `south`: a symbolic link (not followed)',
      '> - `after` `west/leak.yaml`: a symbolic link (not followed)',
      '',
      'Policy warnings were not compared (two folders hold no environments to validate): `velero-node-agent diff --base GIT_REF`, in the repository, lists the warnings a change adds.',
      '',
    ].join('\n'));
    expect(run.out).not.toContain('SECRET');
  });
});

describe('wrong usage: exit 2 with the usage, no stack trace', () => {
  test.each([
    [[], 'diff takes BEFORE_DIR and AFTER_DIR, or --base GIT_REF'],
    [['only-one'], 'diff takes BEFORE_DIR and AFTER_DIR, or --base GIT_REF'],
    [['a', 'b', 'c'], 'diff takes BEFORE_DIR and AFTER_DIR, or --base GIT_REF'],
    [['a', 'b', '--format', 'text'], 'diff: --format is markdown or json, not "text"'],
    [['a', 'b', '--output', 'dist'], 'diff: --output and --environments go with --base'],
    [['--base', 'main', 'a'], 'diff --base compares with the working tree: unexpected argument "a"'],
    [['--base=--output'], 'diff: --base takes a git ref, not "--output"'],
    [['--base', ''], 'diff: --base is empty'],
    [['a', 'b', '--unknown'], "Unknown option '--unknown'"],
    [['--base', 'main', '--environments', '/nonexistent/envs'], 'environments folder /nonexistent/envs not found (set it with --environments DIR)'],
  ])('diff %j', (args, message) => {
    const run = cli(['diff', ...args]);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(new RegExp(`^error: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\n\nUsage: velero-node-agent`));
    expect(run.err).not.toMatch(STACK_TRACE_LINE);
  });

  test('diff --help prints the usage with the diff command, exit 0', () => {
    const run = cli(['diff', '--help']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('velero-node-agent diff --base GIT_REF [--output DIR] [--environments DIR] [--format markdown|json]');
  });
});

describe('a tree that cannot be read: exit 1, one line naming it', () => {
  test.each([
    ['a missing folder', () => path.join(tmp('review-'), 'missing'), ': not found'],
    ['a file', () => { const f = path.join(tmp('review-'), 'file'); fs.writeFileSync(f, ''); return f; }, ': not a folder'],
    ['a folder of other files', () => { const d = tmp('review-'); fs.writeFileSync(path.join(d, 'notes.txt'), 'hi'); return d; },
      '/notes.txt: a file where environment folders belong; not a tree rendered by velero-node-agent (compare two output folders of synth)'],
    ['an environment without this tool\'s kustomization.yaml', () => { const d = renderTree(fleet()); fs.writeFileSync(path.join(d, 'west', 'kustomization.yaml'), 'resources: []\n'); return d; },
      '/west: no kustomization.yaml starting with the "# Rendered from ... Do not edit." header; not a tree rendered by velero-node-agent (compare two output folders of synth)'],
    ['a folder that is not an environment name', () => { const d = renderTree(fleet()); fs.mkdirSync(path.join(d, 'Not_A_Name')); fs.writeFileSync(path.join(d, 'Not_A_Name', 'x.yaml'), ''); return d; },
      '/Not_A_Name: a folder whose name is not an environment name (a DNS label); not a tree rendered by velero-node-agent (compare two output folders of synth)'],
  ])('%s', (_, make, message) => {
    const bad = make();
    const run = cli(['diff', renderTree(fleet()), bad]);
    expect(run).toEqual({ code: 1, out: '', err: `error: ${bad}${message}` });
  });
});

describe('diff --base GIT_REF in a git repository (the compiled command)', () => {
  const git = (repo: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, stdio: 'pipe' });
  const run = (repo: string, ...args: string[]) => spawnSync(process.execPath, [BIN, 'diff', ...args], { cwd: repo, encoding: 'utf8' });

  /** A repository with the fixture fleet and its tree committed (with a link in it and GitOps wiring), then east edited and rendered again, uncommitted. */
  function repository(): string {
    const repo = tmp('review-repo-');
    git(repo, 'init', '-q');
    const environments = fleet({}, path.join(repo, 'environments'));
    const output = path.join(repo, 'dist');
    renderTree(environments, output);
    fs.symlinkSync('../north/kustomization.yaml', path.join(output, 'west', 'extra.yaml'));
    fs.mkdirSync(path.join(output, '_gitops'));
    fs.writeFileSync(path.join(output, '_gitops', 'apps.yaml'), 'apps: [east, west, north]\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'fleet');
    fleet({ 'east.yaml': READ_ONLY_FALSE }, environments);
    fs.rmSync(path.join(output, 'west', 'extra.yaml'));
    renderTree(environments, output);
    fs.writeFileSync(path.join(output, '_gitops', 'east.yaml'), 'app: east\n');
    return repo;
  }

  test('compares the committed tree with the working tree and lists the new warnings', () => {
    const repo = repository();
    const r = run(repo, '--base', 'HEAD');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toBe(golden('base.md'));
    expect(git(repo, 'status', '--porcelain', '--', 'environments/east.yaml').toString()).toBe(' M environments/east.yaml\n');
  });

  test('from a subfolder, with --output and --environments relative to it', () => {
    const repo = repository();
    const r = spawnSync(process.execPath, [BIN, 'diff', '--base', 'HEAD', '--output', '../dist', '--environments', '.', '--format', 'json'], { cwd: path.join(repo, 'environments'), encoding: 'utf8' });
    expect(r.status).toBe(0);
    const review = JSON.parse(r.stdout);
    expect([review.before, review.after, review.summary.changed]).toEqual(['HEAD:../dist', '../dist', 1]);
    expect(review.warnings.findings.map((f: { file: string; rule: string }) => [f.file, f.rule])).toEqual([['east.yaml', 'spc-no-relabeling-without-read-only']]);
  });

  test('an unknown ref: exit 1, no stack trace', () => {
    const r = run(repository(), '--base', 'origin/mian');
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
    expect(r.stderr).toBe('error: unknown git ref "origin/mian" (a branch, tag or commit; in CI, fetch it first: actions/checkout with fetch-depth: 0)\n');
  });

  test('outside a git repository: exit 1, git\'s reason', () => {
    const dir = tmp('review-no-repo-');
    fs.mkdirSync(path.join(dir, 'environments'));
    const r = run(dir, '--base', 'main');
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
    expect(r.stderr).toMatch(/^error: git rev-parse: not a git repository/);
    expect(r.stderr).not.toMatch(STACK_TRACE_LINE);
  });
});

describe('whether a DaemonSet restarts, and why', () => {
  const daemonSet = (pod: object, labels: object = {}) => ({
    kind: 'DaemonSet', metadata: { name: 'node-agent', labels },
    spec: { template: { metadata: { annotations: { 'checksum/node-agent-config': 'a' } }, spec: { containers: [{ name: 'node-agent', image: 'velero/velero:v1.18.1' }], ...pod } } },
  });
  const base = daemonSet({});

  test('env, args, volumes and other template fields are named; the config hash and image are not involved here', () => {
    const changed = daemonSet({
      containers: [{ name: 'node-agent', image: 'velero/velero:v1.18.1', args: ['--log-level=debug'], env: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }] }],
      volumes: [{ name: 'extra', emptyDir: {} }],
      tolerations: [{ operator: 'Exists' }],
    });
    expect(rollout('DaemonSet velero/node-agent', base, changed)).toEqual({
      daemonSet: 'DaemonSet velero/node-agent', action: 'restart', reasons: ['args', 'env', 'volumes', 'other'], otherFields: ['spec.tolerations'],
    });
  });

  test('a change outside the pod template (labels of the DaemonSet) restarts nothing', () => {
    expect(rollout('DaemonSet velero/node-agent', base, daemonSet({}, { team: 'backup' })).action).toBe('none');
  });

  test('a new DaemonSet starts, a removed one is deleted', () => {
    expect(rollout('d', undefined, base).action).toBe('start');
    expect(rollout('d', base, undefined).action).toBe('delete');
  });
});
