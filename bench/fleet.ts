/**
 * Generated fleets for the benchmark: N environments that share one fragment and differ the way
 * clusters do (platform, Velero release, their own node label and pod label, load concurrency,
 * backupPVC, restorePVC), so that no two render the same DaemonSet or ConfigMap.
 */
import * as fs from 'fs';
import * as path from 'path';

const PLATFORMS = ['kubernetes', 'openshift', 'tkgi', 'microk8s', 'k0s', 'rancheros', 'nutanix', 'azure'];
const RELEASES = ['1.18.1', '1.17.2', '1.16.2'];

/** The fragment every environment extends; `variant` changes one value in it (a fleet-wide change). */
export function fragment(variant = 0): string {
  return [
    'velero:',
    '  features: [EnableCSI]',
    '  credentialsSecret: cloud-credentials',
    'storageClasses:',
    '  - {name: fast, readOnlyFromSnapshot: true, reclaimPolicy: Delete, volumeBindingMode: Immediate}',
    '  - {name: slow, readOnlyFromSnapshot: false, reclaimPolicy: Delete, volumeBindingMode: WaitForFirstConsumer}',
    'config:',
    `  podResources: {cpuRequest: 100m, cpuLimit: "${1 + variant}", memoryRequest: 128Mi, memoryLimit: 1Gi}`,
    '',
  ].join('\n');
}

export function environment(i: number): string {
  const platform = PLATFORMS[i % PLATFORMS.length];
  const release = RELEASES[Math.floor(i / PLATFORMS.length) % RELEASES.length];
  const openshift = platform.startsWith('openshift');
  return [
    'extends: [_fleet.yaml]',
    `platform: ${platform}`,
    'velero:',
    `  version: ${release}`,
    'nodeAgent:',
    `  podLabels: {site: site-${i}}`,
    'config:',
    '  loadConcurrency:',
    `    globalConfig: ${1 + (i % 4)}`,
    '    perNodeConfig:',
    `      - nodeSelector: {matchLabels: {pool: pool-${i}}}`,
    '        number: 3',
    '  backupPVC:',
    `    fast: {storageClass: fast, readOnly: true${openshift ? ', spcNoRelabeling: true' : ''}}`,
    '  restorePVC: {ignoreDelayBinding: false}',
    '',
  ].join('\n');
}

/** Writes a fleet of `count` environments into `dir` (emptied first). */
export function writeFleet(dir: string, count: number, variant = 0): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '_fleet.yaml'), fragment(variant));
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `cluster-${String(i).padStart(5, '0')}.yaml`), environment(i));
}
