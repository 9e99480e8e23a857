/**
 * .github/workflows/render.yml is for users to copy: every command it runs must exist, with the
 * flags and values it passes, so that a renamed script, command or flag fails here, not in their CI.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { OWN_ARGUMENTS } from '../cli';
import { COMMANDS } from '../cli/options';
import { USAGE } from '../cli/usage';

const ROOT = path.resolve(__dirname, '..');
const FILE = path.join(ROOT, '.github', 'workflows', 'render.yml');
const text = fs.readFileSync(FILE, 'utf8');
const workflow = parse(text);
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;

interface Step {
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly 'continue-on-error'?: boolean;
}
const steps: Step[] = workflow.jobs.render.steps;
const runs = steps.flatMap((s) => (s.run ? [s.run] : []));


/** `npm run NAME` (and `npm test`) calls, by script name. */
const npmScripts = runs.flatMap((run) => [...run.matchAll(/\bnpm (?:run(?:-script)? ([\w:-]+)|(test)\b)/g)].map((m) => m[1] ?? m[2]));

/** `npx --no -- velero-node-agent COMMAND ARGS`, up to a redirection, a pipe or the end of the line. */
const npxCalls = runs.flatMap((run) => [...run.matchAll(/\bnpx --no -- velero-node-agent ([^\n|>;&]*)/g)].map((m) => m[1].trim().split(/\s+/)));

/** The synopsis line of each command in cli/usage.ts: `velero-node-agent validate [--environments DIR] [--format text|json|...]`. */
function synopsis(command: string): string | undefined {
  const lines = USAGE.split('\n')
    .map((line) => line.replace(/^Usage:/, '').trim())
    .filter((line) => line.startsWith(`velero-node-agent ${command} `) || (command === 'synth' && line.startsWith('velero-node-agent [synth] ')));
  return lines.length ? lines.join(' ') : undefined;
}

/** `--flag` -> its allowed values (`text|json` -> [text, json]), or [] when it takes any value or none. */
function flagsOf(line: string): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  for (const [, flag, value] of line.matchAll(/(--[\w-]+)(?: ([^\]\s[]+))?/g)) {
    flags.set(flag, value && /^[a-z]+(\|[a-z]+)+$/.test(value) ? value.split('|') : []);
  }
  return flags;
}

test('the workflow calls npm scripts and velero-node-agent commands (the parsing works)', () => {
  expect(npmScripts).toEqual(['test', 'check']);
  expect(npxCalls.map((c) => c[0])).toEqual(['validate', 'validate', 'diff']);
  // --no: never an npm registry package of the same name, should the local command be missing.
  expect(runs.filter((run) => /\bnpx\b/.test(run) && !/\bnpx --no -- /.test(run))).toEqual([]);
});

test.each(npmScripts)('npm script %s is in package.json', (name) => {
  expect(scripts).toHaveProperty([name]);
});

test.each(npxCalls.map((c) => [c.join(' '), c] as const))(
  'velero-node-agent %s: the command, its flags and values are in cli/usage.ts',
  (_, [command, ...args]) => {
    expect([...COMMANDS, ...Object.keys(OWN_ARGUMENTS)]).toContain(command);
    const line = synopsis(command);
    expect(line).toBeDefined();
    const flags = flagsOf(line!);
    for (let i = 0; i < args.length; i++) {
      if (!args[i].startsWith('--')) continue;
      expect([...flags.keys()]).toContain(args[i]);
      const values = flags.get(args[i])!;
      if (values.length) expect(values).toContain(args[++i]);
    }
  },
);

test('on pull requests and pushes to main; code scanning may be written', () => {
  expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
  expect(workflow.on.push).toEqual({ branches: ['main'] });
  expect(workflow.jobs.render.permissions).toMatchObject({ contents: 'read', 'security-events': 'write' });
});

test('full history for the review diff; Node 20 with the npm cache', () => {
  expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))!.with).toEqual({ 'fetch-depth': 0 });
  expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with).toEqual({ 'node-version': 20, cache: 'npm' });
});

test('every action is pinned by its major version', () => {
  for (const s of steps.filter((step) => step.uses)) expect(s.uses).toMatch(/^[\w-]+\/[\w/-]+@v\d+$/);
});

test('the SARIF is uploaded even when validate found errors, and those errors still fail the job', () => {
  const sarif = steps.findIndex((s) => s.run?.includes('--format sarif'));
  const upload = steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
  const annotations = steps.findIndex((s) => s.run?.includes('--format github'));
  expect(steps[sarif]['continue-on-error']).toBe(true);
  expect(steps[sarif].run).toMatch(/> velero-node-agent\.sarif$/);
  expect(steps[upload].with).toMatchObject({ sarif_file: 'velero-node-agent.sarif' });
  expect(sarif).toBeLessThan(upload);
  expect(upload).toBeLessThan(annotations);
  // the annotations step exits 1 on an error: nothing may swallow its exit code
  expect(steps[annotations]['continue-on-error']).toBeUndefined();
  for (const s of [sarif, upload, annotations]) expect(steps[s].if).toMatch(/!cancelled\(\)/);
});

test('the review report goes to the job summary, on pull requests only', () => {
  const report = steps.find((s) => s.run?.includes('velero-node-agent diff'))!;
  expect(report.run).toBe('npx --no -- velero-node-agent diff --base "origin/${{ github.base_ref }}" >> "$GITHUB_STEP_SUMMARY"');
  expect(report.if).toContain("github.event_name == 'pull_request'");
});

test('every step has a comment above it', () => {
  const lines = text.split('\n');
  const starts = lines.flatMap((line, i) => (/^\s+- (id|if|uses|run|name):/.test(line) ? [i] : []));
  expect(starts).toHaveLength(steps.length);
  for (const i of starts) expect(lines[i - 1]).toMatch(/^\s+#/);
});
