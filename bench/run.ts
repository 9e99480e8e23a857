/**
 * `npm run bench`: the speed and memory targets, measured through the public command on
 * generated fleets (bench/fleet.ts), never in unit tests. For N = 1,000 and N = 10,000 it runs
 * synth into a new folder at N/4, N/2 and N (wall time, peak RSS of the process), then check
 * and the review diff at N; beside them `kubectl kustomize` builds equivalent overlays, and a
 * cold `npm run synth` renders the shipped examples. Each figure is the median of --runs runs
 * (the machines are noisy). Prints a table, writes it as JSON (--json FILE, default
 * bench/results.json) and exits 1 when a target is missed.
 *
 *   npm run bench -- [--sizes 1000,10000] [--runs 3] [--json FILE]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { writeFleet } from './fleet';
import { kustomizePerEnvironmentMs } from './kustomize';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'lib', 'main.js');
const PROBE = path.join(__dirname, 'rss-probe.js');

/** The targets of the fleet-scale issue, on this project's 2-core machines. */
const TARGETS = {
  synth: { 1000: { ms: 1500, mb: 250 }, 10000: { ms: 12000, mb: 1024 } } as Record<number, { ms: number; mb: number }>,
  linearStep: 2.4,
  kustomizeRatio: 40,
  checkMs: 2000,
  diffMs: 2000,
  coldSynthMs: 600,
};

interface Run {
  readonly ms: number;
  readonly mb: number;
}

interface Row {
  readonly what: string;
  readonly value: number;
  readonly unit: string;
  /** The target, when the figure has one: value must not exceed it (`min`: must reach it). */
  readonly target?: number;
  readonly min?: boolean;
}

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '1000,10000' }, runs: { type: 'string', default: '3' }, json: { type: 'string', default: path.join(__dirname, 'results.json') } },
});
const sizes = values.sizes!.split(',').map(Number);
const runs = Number(values.runs);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'velero-node-agent-bench-'));

/**
 * Median wall time and peak RSS of `runs` runs of the command; `argsOf(run)` gives each run's
 * arguments (a synth writes each run into a folder of its own).
 */
function measure(argsOf: (run: number) => string[], cwd = ROOT, command = process.execPath): Run {
  const results = Array.from({ length: runs }, (_, run) => {
    const args = argsOf(run);
    const rssFile = path.join(scratch, 'rss');
    fs.rmSync(rssFile, { force: true });
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--require ${PROBE}`, VELERO_NODE_AGENT_BENCH_RSS: rssFile },
      maxBuffer: 256 * 2 ** 20,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
    return { ms, mb: Number(fs.readFileSync(rssFile, 'utf8')) / 1024 };
  });
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { ms: median(results.map((r) => r.ms)), mb: median(results.map((r) => r.mb)) };
}

const rows: Row[] = [];
/**
 * A new output folder for each synth run, none deleted before the end. This machine's disk is
 * ext4 without a journal, where the kernel passes over every inode deleted in the last
 * vm.dirty_expire_centisecs (30 s) when it allocates one (recently_deleted() in
 * fs/ext4/ialloc.c): files created right after thousands were deleted cost up to ten times more,
 * which a CI checkout never sees.
 */
const newOutput = (base: string) => (run: number) => `${base}-${run}`;

const kustomizeMs = kustomizePerEnvironmentMs(scratch, runs);
for (const n of sizes) {
  const steps = [n / 4, n / 2, n].map((count) => {
    const environments = path.join(scratch, `fleet-${count}`);
    const output = newOutput(path.join(scratch, `dist-${count}`));
    writeFleet(environments, count);
    const run = measure((i) => [BIN, 'synth', '--environments', environments, '--output', output(i)]);
    rows.push({ what: `synth ${count} environments: wall`, value: run.ms, unit: 'ms', target: count === n ? TARGETS.synth[n]?.ms : undefined });
    rows.push({ what: `synth ${count} environments: peak RSS`, value: run.mb, unit: 'MiB', target: count === n ? TARGETS.synth[n]?.mb : undefined });
    return { count, environments, output: output(0), run };
  });
  const [quarter, half, full] = steps.map((s) => s.run.ms);
  rows.push({ what: `synth ${n}: step N/2->N over step N/4->N/2`, value: (full - half) / (half - quarter), unit: 'x', target: TARGETS.linearStep });
  const perEnvironment = full / n;
  rows.push({ what: `synth ${n}: per environment`, value: perEnvironment, unit: 'ms' });
  if (kustomizeMs !== undefined) {
    rows.push({ what: `kubectl kustomize / synth ${n}, per environment`, value: kustomizeMs / perEnvironment, unit: 'x', target: TARGETS.kustomizeRatio, min: true });
  }

  const { environments, output } = steps[2];
  const check = measure(() => [BIN, 'check', '--environments', environments, '--output', output]);
  rows.push({ what: `check ${n} environments: wall`, value: check.ms, unit: 'ms', target: n <= 1000 ? TARGETS.checkMs : undefined });
  rows.push({ what: `check ${n} environments: peak RSS`, value: check.mb, unit: 'MiB' });

  // The review of a fleet-wide change: the fragment's cpu limit, in every environment.
  const changed = path.join(scratch, `fleet-${n}-changed`);
  const changedOutput = newOutput(path.join(scratch, `dist-${n}-changed`))(0);
  writeFleet(changed, n, 1);
  const synthChanged = spawnSync(process.execPath, [BIN, 'synth', '--environments', changed, '--output', changedOutput], { encoding: 'utf8' });
  if (synthChanged.status !== 0) throw new Error(`synth of the changed fleet exited ${synthChanged.status}:\n${synthChanged.stderr.slice(-2000)}`);
  const diff = measure(() => [BIN, 'diff', output, changedOutput]);
  rows.push({ what: `diff ${n} environments (a fragment change): wall`, value: diff.ms, unit: 'ms', target: n <= 1000 ? TARGETS.diffMs : undefined });
  rows.push({ what: `diff ${n} environments: peak RSS`, value: diff.mb, unit: 'MiB' });
}
if (kustomizeMs !== undefined) rows.push({ what: 'kubectl kustomize, one overlay', value: kustomizeMs, unit: 'ms' });

const examples = newOutput(path.join(scratch, 'examples-dist'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const cold = measure((i) => ['run', '--silent', 'synth', '--', '--output', examples(i)], ROOT, npm);
rows.push({ what: 'cold npm run synth of environments/: wall', value: cold.ms, unit: 'ms', target: TARGETS.coldSynthMs });
fs.rmSync(scratch, { recursive: true, force: true });

const missed = rows.filter((r) => r.target !== undefined && (r.min ? r.value < r.target : r.value > r.target));
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
console.log(`${machine}; median of ${runs} runs\n`);
for (const r of rows) {
  const verdict = r.target === undefined ? '    ' : missed.includes(r) ? 'MISS' : 'ok  ';
  const target = r.target === undefined ? '' : `  (target ${r.min ? '>=' : '<='} ${r.target} ${r.unit})`;
  console.log(`${verdict}  ${r.what.padEnd(52)} ${r.value.toFixed(r.unit === 'x' ? 2 : r.value < 10 ? 2 : 0).padStart(9)} ${r.unit}${target}`);
}
if (kustomizeMs === undefined) console.log('\nkubectl is not installed: the kustomize comparison was not run');
fs.writeFileSync(values.json!, `${JSON.stringify({ machine, runs, rows: rows.map((r) => ({ ...r, ok: r.target === undefined ? undefined : !missed.includes(r) })) }, null, 2)}\n`);
console.log(`\n${values.json}: the same as JSON. ${missed.length ? `${missed.length} target${missed.length === 1 ? '' : 's'} missed.` : 'Every target met.'}`);
process.exitCode = missed.length ? 1 : 0;
