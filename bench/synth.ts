/**
 * `npm run bench`: speed and memory targets of the render pipeline, measured, not unit-tested.
 *   1. a whole `npm run synth`-equivalent process on the committed environments (cold start);
 *   2. 300 generated environments validated and rendered in-process (throughput, heap).
 * Exits 1 when a target is missed, so a regression shows up when someone runs it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../pipeline/synth';

const TARGETS = { coldSynthMs: 3000, perEnvironmentMs: 15, heapMb: 400 };
const root = path.resolve(__dirname, '..');

function coldSynth(): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-out-'));
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const runs = [0, 1, 2].map(() => {
    const start = process.hrtime.bigint();
    const r = spawnSync(tsx, ['main.ts', '--output', path.join(out, 'dist')], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  fs.rmSync(out, { recursive: true, force: true });
  return Math.min(...runs);
}

function generated(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-envs-'));
  const platforms = ['kubernetes', 'openshift', 'tkgi', 'microk8s', 'k0s', 'rancheros'];
  fs.writeFileSync(path.join(dir, '_base.yaml'), 'velero:\n  version: 1.18.1\n  features: [EnableCSI]\n');
  for (let i = 0; i < count; i++) {
    fs.writeFileSync(
      path.join(dir, `cluster-${String(i).padStart(4, '0')}.yaml`),
      [
        'extends: [_base.yaml]',
        `platform: ${platforms[i % platforms.length]}`,
        'storageClasses: [{name: fast, readOnlyFromSnapshot: true, reclaimPolicy: Delete}]',
        'config:',
        `  loadConcurrency: {globalConfig: ${1 + (i % 4)}}`,
        '  backupPVC: {fast: {storageClass: fast, readOnly: true, spcNoRelabeling: true}}',
        '  podResources: {cpuRequest: 100m, cpuLimit: "1", memoryRequest: 128Mi, memoryLimit: 1Gi}',
      ].join('\n') + '\n',
    );
  }
  return dir;
}

function throughput(count: number): { perEnvironmentMs: number; heapMb: number } {
  const dir = generated(count);
  synthesize(dir); // warm-up: schema compilation and module loading are one-off costs
  global.gc?.();
  const start = process.hrtime.bigint();
  const { rendered, findings } = synthesize(dir);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (rendered.length !== count) throw new Error(`expected ${count} environments, got ${rendered.length}: ${JSON.stringify(findings[0])}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return { perEnvironmentMs: ms / count, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
}

const cold = coldSynth();
const { perEnvironmentMs, heapMb } = throughput(300);
const rows: [string, number, number, string][] = [
  ['cold synth of environments/ (process)', cold, TARGETS.coldSynthMs, 'ms'],
  ['validate + render, per environment (300)', perEnvironmentMs, TARGETS.perEnvironmentMs, 'ms'],
  ['heap after 300 environments', heapMb, TARGETS.heapMb, 'MiB'],
];
let missed = 0;
for (const [what, value, target, unit] of rows) {
  const ok = value <= target;
  if (!ok) missed++;
  console.log(`${ok ? 'ok  ' : 'MISS'}  ${what.padEnd(44)} ${value.toFixed(1).padStart(8)} ${unit}  (target <= ${target} ${unit})`);
}
process.exitCode = missed ? 1 : 0;
