/**
 * The semantic rules (policies/rules/*), each with a passing and a failing case, through the
 * real pipeline (load -> schema -> rules -> render -> manifest checks) on throwaway folders.
 * Every failing case asserts the whole finding: file, line, column, key path, rule id,
 * severity, message and hint. YAML is written line by line so that the line numbers asserted
 * can be read off the array index + 1.
 */
import * as path from 'path';
import { Finding } from '../pipeline/findings';
import { synthesize, SynthResult } from '../pipeline/synth';
import { RULES } from '../policies/rules';
import { environmentsDir } from './helpers';

/** One YAML document from its lines: line N of the file is the N-th argument. */
const yaml = (...lines: string[]) => lines.join('\n') + '\n';

/** Synthesizes one environment file, `test-env.yaml`; `file` is the path findings show for it. */
function run(text: string): SynthResult & { file: string } {
  const dir = environmentsDir({ 'test-env.yaml': text });
  return { ...synthesize(dir), file: path.join(dir, 'test-env.yaml') };
}

/** Only the findings of one rule. */
function findingsOf(text: string, rule: string): { found: Finding[]; file: string; all: Finding[] } {
  const r = run(text);
  return { found: r.findings.filter((f) => f.rule === rule), file: r.file, all: r.findings };
}

type Expected = Omit<Finding, 'file' | 'rule' | 'severity'>;
const error = (file: string, rule: string, f: Expected): Finding => ({ file, rule, severity: 'error', ...f });
const warning = (file: string, rule: string, f: Expected): Finding => ({ file, rule, severity: 'warning', ...f });

/** A valid environment renders with no finding at all. */
function expectClean(text: string) {
  const r = run(text);
  expect(r.findings).toEqual([]);
  expect(r.rendered).toHaveLength(1);
}

const V = 'velero:';
const V1181 = '  version: "1.18.1"';

const LABEL_NAME_RULES = 'must be at most 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
const LABEL_VALUE_RULES = 'must be empty or at most 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit';

describe('the rule registry', () => {
  test('each rule has a kebab-case id, a severity of error or warning, and a summary', () => {
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['error', 'warning']).toContain(rule.severity);
      expect(typeof rule.summary).toBe('string');
      expect(rule.summary.trim().length).toBeGreaterThan(0);
      expect(typeof rule.check).toBe('function');
    }
  });

  test('rule ids are unique', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('every rule is covered by a describe block of this file, with its severity', () => {
    const covered: Record<string, 'error' | 'warning'> = {
      'supported-version': 'error',
      'configmap-name': 'error',
      'reserved-pod-labels': 'error',
      'storage-class-exists': 'error',
      'backup-pvc-read-only': 'error',
      'backup-pvc-read-only-unknown': 'warning',
      'spc-no-relabeling-without-read-only': 'warning',
      'openshift-read-only-relabeling': 'warning',
      'pod-resources': 'error',
      'load-concurrency-minimum': 'error',
      'load-concurrency-overlap': 'warning',
      'label-selector': 'error',
      'load-affinity-shadowed': 'warning',
      'restore-pvc-delay-binding': 'warning',
      'cache-pvc-reclaim-policy': 'error',
      'image-pinned': 'error',
      'unprivileged-on-privileged-platform': 'warning',
      'newer-patch-release': 'warning',
      'storage-class-name': 'error',
      'image-version': 'warning',
      'priority-class-exists': 'error',
      'labels-and-annotations': 'error',
      tolerations: 'error',
      'resource-quantities': 'error',
      'kubelet-root-dir': 'error',
      'system-namespace': 'warning',
      'unconfined-profile': 'warning',
      'forged-config-checksum': 'warning',
      'openshift-privileged-fs-backup': 'warning',
      'disable-host-path': 'error',
      'server-flag-duration': 'error',
      'reserved-env': 'error',
      'node-selector-os': 'error',
    };
    expect(Object.fromEntries(RULES.map((r) => [r.id, r.severity]))).toEqual(covered);
  });
});

describe('storage-class-exists', () => {
  const RULE = 'storage-class-exists';

  test('passes when every class named is in storageClasses', () => {
    expectClean(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp2',
      '  - name: gp3-cheap',
      '  - name: fast',
      'config:',
      '  backupPVC:',
      '    gp2:',
      '      storageClass: gp3-cheap',
      '  cachePVC:',
      '    storageClass: fast',
      '  loadAffinity:',
      '    - nodeSelector: {matchLabels: {pool: backup}}',
      '      storageClass: gp2',
    ));
  });

  test('passes when there is no storageClasses inventory at all, whatever the names', () => {
    expectClean(yaml(
      V, V1181,
      'config:',
      '  backupPVC:',
      '    gp2:',
      '      storageClass: gp3-cheap',
      '  cachePVC:',
      '    storageClass: fast',
      '  loadAffinity:',
      '    - nodeSelector: {matchLabels: {pool: backup}}',
      '      storageClass: gp2',
    ));
  });

  test('a backupPVC key (the source class) missing from storageClasses, at the key', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      'config:',
      '  backupPVC:',
      '    gp2:',
      '      storageClass: gp3',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 7, column: 5, path: 'config.backupPVC.gp2',
        message: 'StorageClass "gp2" is not in storageClasses',
        hint: 'known classes: gp3; add it to storageClasses if the cluster has it',
      }),
    ]);
    expect(r.rendered).toEqual([]);
  });

  test('backupPVC.<class>.storageClass missing from storageClasses', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      '  - name: io2',
      'config:',
      '  backupPVC:',
      '    gp3:',
      '      storageClass: gp3-cheap',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 9, column: 21, path: 'config.backupPVC.gp3.storageClass',
        message: 'StorageClass "gp3-cheap" is not in storageClasses',
        hint: 'known classes: gp3, io2; add it to storageClasses if the cluster has it',
      }),
    ]);
  });

  test('cachePVC.storageClass missing from storageClasses', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      'config:',
      '  cachePVC:',
      '    storageClass: fast',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 7, column: 19, path: 'config.cachePVC.storageClass',
        message: 'StorageClass "fast" is not in storageClasses',
        hint: 'known classes: gp3; add it to storageClasses if the cluster has it',
      }),
    ]);
  });

  test('loadAffinity[].storageClass missing from storageClasses', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      'config:',
      '  loadAffinity:',
      '    - nodeSelector:',
      '        matchLabels:',
      '          zone: a',
      '      storageClass: gp2',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 10, column: 21, path: 'config.loadAffinity[0].storageClass',
        message: 'StorageClass "gp2" is not in storageClasses',
        hint: 'known classes: gp3; add it to storageClasses if the cluster has it',
      }),
    ]);
  });

  test('an empty inventory knows no class', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses: []',
      'config:',
      '  cachePVC:',
      '    storageClass: fast',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 6, column: 19, path: 'config.cachePVC.storageClass',
        message: 'StorageClass "fast" is not in storageClasses',
        hint: 'known classes: none; add it to storageClasses if the cluster has it',
      }),
    ]);
  });
});

describe('backup-pvc-read-only and backup-pvc-read-only-unknown', () => {
  test('passes: readOnly on a class that can make a ReadOnlyMany volume from a snapshot', () => {
    expectClean(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: rbd',
      '    readOnlyFromSnapshot: true',
      'config:',
      '  backupPVC:',
      '    rbd:',
      '      readOnly: true',
    ));
  });

  test('passes: the backupPVC storageClass is the class that is checked, not the source class', () => {
    expectClean(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      '    readOnlyFromSnapshot: false',
      '  - name: csi-ro',
      '    readOnlyFromSnapshot: true',
      'config:',
      '  backupPVC:',
      '    gp3:',
      '      storageClass: csi-ro',
      '      readOnly: true',
    ));
  });

  test('passes: readOnlyFromSnapshot false without readOnly', () => {
    expectClean(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      '    readOnlyFromSnapshot: false',
      'config:',
      '  backupPVC:',
      '    gp3:',
      '      readOnly: false',
    ));
  });

  test('readOnly: true on a class with readOnlyFromSnapshot: false is an error', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      '    readOnlyFromSnapshot: false',
      'config:',
      '  backupPVC:',
      '    gp3:',
      '      readOnly: true',
    ));
    expect(r.findings).toEqual([
      error(r.file, 'backup-pvc-read-only', {
        line: 9, column: 17, path: 'config.backupPVC.gp3.readOnly',
        message: 'StorageClass "gp3" cannot create a ReadOnlyMany volume from a snapshot (readOnlyFromSnapshot: false)',
        hint: 'remove readOnly, or point storageClass at a class that can',
      }),
    ]);
    expect(r.rendered).toEqual([]);
  });

  test('the error names the backupPVC storageClass when it overrides the source class', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: rbd',
      '    readOnlyFromSnapshot: true',
      '  - name: gp3',
      '    readOnlyFromSnapshot: false',
      'config:',
      '  backupPVC:',
      '    rbd:',
      '      storageClass: gp3',
      '      readOnly: true',
    ));
    expect(r.findings).toEqual([
      error(r.file, 'backup-pvc-read-only', {
        line: 12, column: 17, path: 'config.backupPVC.rbd.readOnly',
        message: 'StorageClass "gp3" cannot create a ReadOnlyMany volume from a snapshot (readOnlyFromSnapshot: false)',
        hint: 'remove readOnly, or point storageClass at a class that can',
      }),
    ]);
  });

  test('readOnly: true on a class whose readOnlyFromSnapshot is not stated is a warning, and it renders', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      'config:',
      '  backupPVC:',
      '    gp3:',
      '      readOnly: true',
    ));
    expect(r.findings).toEqual([
      warning(r.file, 'backup-pvc-read-only-unknown', {
        line: 8, column: 17, path: 'config.backupPVC.gp3.readOnly',
        message: 'whether StorageClass "gp3" can create a ReadOnlyMany volume from a snapshot is unknown',
        hint: 'add {name: gp3, readOnlyFromSnapshot: true|false} to storageClasses',
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
  });

  test('readOnly: true with no storageClasses inventory at all is the same warning', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  backupPVC:',
      '    gp3:',
      '      readOnly: true',
    ));
    expect(r.findings).toEqual([
      warning(r.file, 'backup-pvc-read-only-unknown', {
        line: 6, column: 17, path: 'config.backupPVC.gp3.readOnly',
        message: 'whether StorageClass "gp3" can create a ReadOnlyMany volume from a snapshot is unknown',
        hint: 'add {name: gp3, readOnlyFromSnapshot: true|false} to storageClasses',
      }),
    ]);
  });
});

describe('spc-no-relabeling-without-read-only', () => {
  const RULE = 'spc-no-relabeling-without-read-only';

  test('passes: spcNoRelabeling together with readOnly: true', () => {
    expectClean(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: rbd',
      '    readOnlyFromSnapshot: true',
      'config:',
      '  backupPVC:',
      '    rbd:',
      '      readOnly: true',
      '      spcNoRelabeling: true',
    ));
  });

  test('spcNoRelabeling without readOnly is a warning', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  backupPVC:',
      '    gp3:',
      '      spcNoRelabeling: true',
    ));
    expect(r.findings).toEqual([
      warning(r.file, RULE, {
        line: 6, column: 24, path: 'config.backupPVC.gp3.spcNoRelabeling',
        message: 'spcNoRelabeling has no effect unless readOnly is true',
        hint: 'set readOnly: true, or remove spcNoRelabeling',
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
  });

  test('spcNoRelabeling with readOnly: false is the same warning', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  backupPVC:',
      '    gp3:',
      '      readOnly: false',
      '      spcNoRelabeling: true',
    ));
    expect(r.findings).toEqual([
      warning(r.file, RULE, {
        line: 7, column: 24, path: 'config.backupPVC.gp3.spcNoRelabeling',
        message: 'spcNoRelabeling has no effect unless readOnly is true',
        hint: 'set readOnly: true, or remove spcNoRelabeling',
      }),
    ]);
  });
});

describe('openshift-read-only-relabeling', () => {
  const RULE = 'openshift-read-only-relabeling';
  const readOnlyOn = (platform: string, spcNoRelabeling = false) =>
    yaml(
      `platform: ${platform}`,
      V, V1181,
      'storageClasses:',
      '  - name: rbd',
      '    readOnlyFromSnapshot: true',
      'config:',
      '  backupPVC:',
      '    rbd:',
      '      readOnly: true',
      ...(spcNoRelabeling ? ['      spcNoRelabeling: true'] : []),
    );

  test.each(['openshift', 'openshift-ibm-cloud'])('readOnly without spcNoRelabeling on %s is a warning', (platform) => {
    const r = run(readOnlyOn(platform));
    expect(r.findings).toEqual([
      warning(r.file, RULE, {
        line: 10, column: 17, path: 'config.backupPVC.rbd.readOnly',
        message: 'a read-only backupPVC on OpenShift (SELinux) needs spcNoRelabeling: true',
        hint: 'add spcNoRelabeling: true',
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
  });

  test.each(['openshift', 'openshift-ibm-cloud'])('passes on %s with spcNoRelabeling: true', (platform) => {
    expectClean(readOnlyOn(platform, true));
  });

  test.each(['kubernetes', 'tkgi', 'rancheros', 'k0s'])('is not reported on %s', (platform) => {
    expectClean(readOnlyOn(platform));
  });
});

describe('pod-resources', () => {
  const RULE = 'pod-resources';

  test('passes with all four fields, each request at or below its limit', () => {
    expectClean(yaml(
      V, V1181,
      'config:',
      '  podResources:',
      '    cpuRequest: 500m',
      '    cpuLimit: "1"',
      '    memoryRequest: 512Mi',
      '    memoryLimit: 512Mi',
    ));
  });

  test('passes: a "0" limit means unbounded, whatever the request', () => {
    expectClean(yaml(
      V, V1181,
      'config:',
      '  podResources:',
      '    cpuRequest: "2"',
      '    cpuLimit: "0"',
      '    memoryRequest: 1Gi',
      '    memoryLimit: "0"',
    ));
  });

  test('passes: an empty section sets nothing, so nothing is half set', () => {
    expectClean(yaml(V, V1181, 'config:', '  podResources: {}'));
  });

  test('passes: the ephemeral-storage pair on Velero 1.18.1', () => {
    expectClean(yaml(
      V, V1181,
      'config:',
      '  podResources:',
      '    cpuRequest: 100m',
      '    cpuLimit: 500m',
      '    memoryRequest: 128Mi',
      '    memoryLimit: 512Mi',
      '    ephemeralStorageRequest: 1Gi',
      '    ephemeralStorageLimit: 2Gi',
    ));
  });

  test('a partial section (memory missing) is an error on the section', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  podResources:',
      '    cpuRequest: 100m',
      '    cpuLimit: 500m',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 5, column: 5, path: 'config.podResources',
        message: 'podResources sets cpuRequest, cpuLimit but not memoryRequest, memoryLimit',
        hint: 'Velero uses the section only when all four are set ("0" means unbounded)',
      }),
    ]);
    expect(r.rendered).toEqual([]);
  });

  test('a partial section (only cpuLimit missing)', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  podResources:',
      '    cpuRequest: 100m',
      '    memoryRequest: 128Mi',
      '    memoryLimit: 512Mi',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 5, column: 5, path: 'config.podResources',
        message: 'podResources sets cpuRequest, memoryRequest, memoryLimit but not cpuLimit',
        hint: 'Velero uses the section only when all four are set ("0" means unbounded)',
      }),
    ]);
  });

  test('a value that is not a quantity ("abc") is an error at that value', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  podResources:',
      '    cpuRequest: abc',
      '    cpuLimit: "1"',
      '    memoryRequest: 128Mi',
      '    memoryLimit: 512Mi',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 5, column: 17, path: 'config.podResources.cpuRequest',
        message: '"abc" is not a Kubernetes quantity',
        hint: 'write e.g. "500m", "2", "512Mi", "1Gi"',
      }),
    ]);
  });

  test('a request above its limit: cpu "2" > "1" and memory "1Gi" > "512Mi"', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  podResources:',
      '    cpuRequest: "2"',
      '    cpuLimit: "1"',
      '    memoryRequest: 1Gi',
      '    memoryLimit: 512Mi',
    ));
    const hint = 'lower the request or raise the limit ("0" means unbounded)';
    expect(r.findings).toEqual([
      error(r.file, RULE, { line: 5, column: 17, path: 'config.podResources.cpuRequest', message: 'cpuRequest "2" is above cpuLimit "1"', hint }),
      error(r.file, RULE, { line: 7, column: 20, path: 'config.podResources.memoryRequest', message: 'memoryRequest "1Gi" is above memoryLimit "512Mi"', hint }),
    ]);
  });

  test('units are compared, not strings: "1500m" > "1"', () => {
    const { found, file } = findingsOf(yaml(
      V, V1181,
      'config:',
      '  podResources:',
      '    cpuRequest: 1500m',
      '    cpuLimit: "1"',
      '    memoryRequest: 128Mi',
      '    memoryLimit: 1Gi',
    ), RULE);
    expect(found).toEqual([
      error(file, RULE, {
        line: 5, column: 17, path: 'config.podResources.cpuRequest',
        message: 'cpuRequest "1500m" is above cpuLimit "1"', hint: 'lower the request or raise the limit ("0" means unbounded)',
      }),
    ]);
  });

  test('the ephemeral-storage request above its limit on 1.18.1', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  podResources:',
      '    cpuRequest: 100m',
      '    cpuLimit: 500m',
      '    memoryRequest: 128Mi',
      '    memoryLimit: 512Mi',
      '    ephemeralStorageRequest: 2Gi',
      '    ephemeralStorageLimit: 1Gi',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 9, column: 30, path: 'config.podResources.ephemeralStorageRequest',
        message: 'ephemeralStorageRequest "2Gi" is above ephemeralStorageLimit "1Gi"',
        hint: 'lower the request or raise the limit ("0" means unbounded)',
      }),
    ]);
  });

  test('the ephemeral-storage pair on 1.18.0 is a version error (the fields came in 1.18.1)', () => {
    const r = run(yaml(
      V,
      '  version: "1.18.0"',
      'config:',
      '  podResources:',
      '    cpuRequest: 100m',
      '    cpuLimit: 500m',
      '    memoryRequest: 128Mi',
      '    memoryLimit: 512Mi',
      '    ephemeralStorageRequest: 1Gi',
      '    ephemeralStorageLimit: 2Gi',
    ));
    expect(r.findings).toEqual([
      error(r.file, 'velero-version', {
        line: 9, column: 5, path: 'config.podResources.ephemeralStorageRequest',
        message: '"ephemeralStorageRequest" was introduced in Velero 1.18.1; this environment runs Velero 1.18.0',
        hint: 'raise the Velero version to 1.18.1 or later, or remove "ephemeralStorageRequest"',
      }),
      error(r.file, 'velero-version', {
        line: 10, column: 5, path: 'config.podResources.ephemeralStorageLimit',
        message: '"ephemeralStorageLimit" was introduced in Velero 1.18.1; this environment runs Velero 1.18.0',
        hint: 'raise the Velero version to 1.18.1 or later, or remove "ephemeralStorageLimit"',
      }),
    ]);
  });
});

describe('load-concurrency-minimum', () => {
  const RULE = 'load-concurrency-minimum';

  test('passes with every value at 1 or more', () => {
    expectClean(yaml(
      V, V1181,
      'config:',
      '  loadConcurrency:',
      '    globalConfig: 1',
      '    prepareQueueLength: 1',
      '    perNodeConfig:',
      '      - nodeSelector: {matchLabels: {pool: big}}',
      '        number: 1',
    ));
  });

  test('globalConfig: 0', () => {
    const r = run(yaml(V, V1181, 'config:', '  loadConcurrency:', '    globalConfig: 0'));
    expect(r.findings).toEqual([
      error(r.file, RULE, { line: 5, column: 19, path: 'config.loadConcurrency.globalConfig', message: 'globalConfig is 0: Velero uses 1 instead', hint: 'use 1 or more' }),
    ]);
    expect(r.rendered).toEqual([]);
  });

  test('globalConfig: -3', () => {
    const r = run(yaml(V, V1181, 'config:', '  loadConcurrency:', '    globalConfig: -3'));
    expect(r.findings).toEqual([
      error(r.file, RULE, { line: 5, column: 19, path: 'config.loadConcurrency.globalConfig', message: 'globalConfig is -3: Velero uses 1 instead', hint: 'use 1 or more' }),
    ]);
  });

  test('perNodeConfig[].number: 0', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadConcurrency:',
      '    perNodeConfig:',
      '      - nodeSelector:',
      '          matchLabels:',
      '            pool: big',
      '        number: 0',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, { line: 9, column: 17, path: 'config.loadConcurrency.perNodeConfig[0].number', message: 'number is 0: Velero skips this rule', hint: 'use 1 or more' }),
    ]);
  });

  test('prepareQueueLength: 0', () => {
    const r = run(yaml(V, V1181, 'config:', '  loadConcurrency:', '    prepareQueueLength: 0'));
    expect(r.findings).toEqual([
      error(r.file, RULE, { line: 5, column: 25, path: 'config.loadConcurrency.prepareQueueLength', message: 'prepareQueueLength is 0: Velero ignores it', hint: 'use 1 or more' }),
    ]);
  });
});

describe('load-concurrency-overlap', () => {
  const RULE = 'load-concurrency-overlap';
  const HINT = 'make the selectors exclusive, or accept the smaller number';
  /** Two perNodeConfig rules (numbers 2 and 8) with the given selectors, in YAML flow style. */
  const twoRules = (a: string, b: string) =>
    yaml(
      V, V1181,
      'config:',
      '  loadConcurrency:',
      '    perNodeConfig:',
      `      - nodeSelector: ${a}`,
      '        number: 2',
      `      - nodeSelector: ${b}`,
      '        number: 8',
    );

  test('two selectors that can match one node: a warning on the later one naming the smallest number', () => {
    const r = run(twoRules('{matchLabels: {pool: backup}}', '{matchLabels: {size: large}}'));
    expect(r.findings).toEqual([
      warning(r.file, RULE, {
        line: 8, column: 23, path: 'config.loadConcurrency.perNodeConfig[1].nodeSelector',
        message: 'can match the same nodes as perNodeConfig[0]; on those nodes the smallest number (2) wins',
        hint: HINT,
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
  });

  test('the smallest number is named whichever rule has it', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadConcurrency:',
      '    perNodeConfig:',
      '      - nodeSelector: {}',
      '        number: 6',
      '      - nodeSelector: {matchLabels: {a: "1"}}',
      '        number: 3',
      '      - nodeSelector: {matchLabels: {b: "2"}}',
      '        number: 4',
    ));
    expect(r.findings).toEqual([
      warning(r.file, RULE, { line: 8, column: 23, path: 'config.loadConcurrency.perNodeConfig[1].nodeSelector', message: 'can match the same nodes as perNodeConfig[0]; on those nodes the smallest number (3) wins', hint: HINT }),
      warning(r.file, RULE, { line: 10, column: 23, path: 'config.loadConcurrency.perNodeConfig[2].nodeSelector', message: 'can match the same nodes as perNodeConfig[0]; on those nodes the smallest number (4) wins', hint: HINT }),
      warning(r.file, RULE, { line: 10, column: 23, path: 'config.loadConcurrency.perNodeConfig[2].nodeSelector', message: 'can match the same nodes as perNodeConfig[1]; on those nodes the smallest number (3) wins', hint: HINT }),
    ]);
  });

  test.each([
    ['an empty selector and any other', '{}', '{matchLabels: {a: "1"}}'],
    ['In [x, y] and NotIn [x]', '{matchExpressions: [{key: a, operator: In, values: [x, y]}]}', '{matchExpressions: [{key: a, operator: NotIn, values: [x]}]}'],
    ['Exists and a matchLabel on the same key', '{matchExpressions: [{key: a, operator: Exists}]}', '{matchLabels: {a: "1"}}'],
    ['NotIn [x] and DoesNotExist', '{matchExpressions: [{key: a, operator: NotIn, values: [x]}]}', '{matchExpressions: [{key: a, operator: DoesNotExist}]}'],
    ['the same matchLabels', '{matchLabels: {a: "1"}}', '{matchLabels: {a: "1"}}'],
  ])('overlapping: %s', (_, a, b) => {
    const { found } = findingsOf(twoRules(a, b), RULE);
    expect(found.map((f) => [f.path, f.message])).toEqual([
      ['config.loadConcurrency.perNodeConfig[1].nodeSelector', 'can match the same nodes as perNodeConfig[0]; on those nodes the smallest number (2) wins'],
    ]);
  });

  test.each([
    ['matchLabels a=1 and a=2', '{matchLabels: {a: "1"}}', '{matchLabels: {a: "2"}}'],
    ['Exists and DoesNotExist', '{matchExpressions: [{key: a, operator: Exists}]}', '{matchExpressions: [{key: a, operator: DoesNotExist}]}'],
    ['In [x] and NotIn [x]', '{matchExpressions: [{key: a, operator: In, values: [x]}]}', '{matchExpressions: [{key: a, operator: NotIn, values: [x]}]}'],
    ['In [x] and In [y]', '{matchExpressions: [{key: a, operator: In, values: [x]}]}', '{matchExpressions: [{key: a, operator: In, values: [y]}]}'],
    ['matchLabels a=1 and DoesNotExist a', '{matchLabels: {a: "1"}}', '{matchExpressions: [{key: a, operator: DoesNotExist}]}'],
    ['matchLabels a=x and NotIn [x]', '{matchLabels: {a: x}}', '{matchExpressions: [{key: a, operator: NotIn, values: [x]}]}'],
  ])('disjoint, no warning: %s', (_, a, b) => {
    expectClean(twoRules(a, b));
  });
});

describe('label-selector', () => {
  const RULE = 'label-selector';

  test('passes with valid keys (prefixed or not), values and operators', () => {
    expectClean(yaml(
      V, V1181,
      'nodeAgent:',
      '  nodeSelector:',
      '    kubernetes.io/arch: arm64',
      'config:',
      '  loadConcurrency:',
      '    perNodeConfig:',
      '      - nodeSelector:',
      '          matchLabels:',
      '            node.kubernetes.io/instance-type: m6i.4xlarge',
      '            empty: ""',
      '        number: 2',
      '  loadAffinity:',
      '    - nodeSelector:',
      '        matchExpressions:',
      '          - key: example.com/backup',
      '            operator: In',
      '            values: [yes, "true"]',
      '          - key: spot',
      '            operator: DoesNotExist',
    ));
  });

  test('an invalid matchLabels key, at the key', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadConcurrency:',
      '    perNodeConfig:',
      '      - nodeSelector:',
      '          matchLabels:',
      '            _zone: a',
      '        number: 2',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 8, column: 13, path: 'config.loadConcurrency.perNodeConfig[0].nodeSelector.matchLabels._zone',
        message: `invalid label key "_zone": "_zone" ${LABEL_NAME_RULES}`,
      }),
    ]);
    expect(r.rendered).toEqual([]);
  });

  test('an invalid matchLabels value, at the value', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadConcurrency:',
      '    perNodeConfig:',
      '      - nodeSelector:',
      '          matchLabels:',
      '            zone: "eu west"',
      '        number: 2',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 8, column: 19, path: 'config.loadConcurrency.perNodeConfig[0].nodeSelector.matchLabels.zone',
        message: `invalid label value: "eu west" ${LABEL_VALUE_RULES}`,
      }),
    ]);
  });

  test('a matchExpressions key with an invalid prefix', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadAffinity:',
      '    - nodeSelector:',
      '        matchExpressions:',
      '          - key: Example_Corp/backup',
      '            operator: Exists',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 7, column: 18, path: 'config.loadAffinity[0].nodeSelector.matchExpressions[0].key',
        message: 'invalid label key "Example_Corp/backup": the prefix "Example_Corp" is not a DNS subdomain',
      }),
    ]);
  });

  test.each(['Exists', 'DoesNotExist'])('values given to %s', (operator) => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadAffinity:',
      '    - nodeSelector:',
      '        matchExpressions:',
      '          - key: backup',
      `            operator: ${operator}`,
      '            values: [x]',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 9, column: 21, path: 'config.loadAffinity[0].nodeSelector.matchExpressions[0].values',
        message: `operator ${operator} takes no values`,
        hint: 'remove values, or use In / NotIn',
      }),
    ]);
  });

  test('no values with In', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadAffinity:',
      '    - nodeSelector:',
      '        matchExpressions:',
      '          - key: backup',
      '            operator: In',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 7, column: 13, path: 'config.loadAffinity[0].nodeSelector.matchExpressions[0]',
        message: 'operator In needs at least one value',
        hint: 'add values, or use Exists / DoesNotExist',
      }),
    ]);
  });

  test('an empty values list with NotIn', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadAffinity:',
      '    - nodeSelector:',
      '        matchExpressions:',
      '          - key: backup',
      '            operator: NotIn',
      '            values: []',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 7, column: 13, path: 'config.loadAffinity[0].nodeSelector.matchExpressions[0]',
        message: 'operator NotIn needs at least one value',
        hint: 'add values, or use Exists / DoesNotExist',
      }),
    ]);
  });

  test('an invalid value in an In list, at that value', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadAffinity:',
      '    - nodeSelector:',
      '        matchExpressions:',
      '          - key: backup',
      '            operator: In',
      '            values: [ok, "-bad"]',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 9, column: 26, path: 'config.loadAffinity[0].nodeSelector.matchExpressions[0].values[1]',
        message: `invalid label value: "-bad" ${LABEL_VALUE_RULES}`,
      }),
    ]);
  });

  test('an invalid nodeAgent.nodeSelector key, at the key', () => {
    const r = run(yaml(
      V, V1181,
      'nodeAgent:',
      '  nodeSelector:',
      '    Example.com/arch: arm64',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 5, column: 5, path: 'nodeAgent.nodeSelector["Example.com/arch"]',
        message: 'invalid label key "Example.com/arch": the prefix "Example.com" is not a DNS subdomain',
      }),
    ]);
  });
});

describe('load-affinity-shadowed', () => {
  const RULE = 'load-affinity-shadowed';
  const HINT = 'merge the two node selectors, or remove this element';

  test('passes: one element per class and one without a class', () => {
    expectClean(yaml(
      V, V1181,
      'config:',
      '  loadAffinity:',
      '    - nodeSelector: {matchLabels: {pool: a}}',
      '      storageClass: gp3',
      '    - nodeSelector: {matchLabels: {pool: b}}',
      '      storageClass: io2',
      '    - nodeSelector: {matchLabels: {pool: c}}',
    ));
  });

  test('the same storageClass twice: the second is ignored', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadAffinity:',
      '    - nodeSelector: {matchLabels: {pool: a}}',
      '      storageClass: gp3',
      '    - nodeSelector: {matchLabels: {pool: b}}',
      '      storageClass: gp3',
    ));
    expect(r.findings).toEqual([
      warning(r.file, RULE, {
        line: 7, column: 7, path: 'config.loadAffinity[1]',
        message: 'loadAffinity[0] is already the element for StorageClass "gp3": Velero uses only the first, this one is ignored',
        hint: HINT,
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
  });

  test('two elements without a storageClass', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  loadAffinity:',
      '    - nodeSelector: {matchLabels: {pool: a}}',
      '      storageClass: gp3',
      '    - nodeSelector: {matchLabels: {pool: b}}',
      '    - nodeSelector: {matchLabels: {pool: c}}',
    ));
    expect(r.findings).toEqual([
      warning(r.file, RULE, {
        line: 8, column: 7, path: 'config.loadAffinity[2]',
        message: 'loadAffinity[1] is already the element without a storageClass: Velero uses only the first, this one is ignored',
        hint: HINT,
      }),
    ]);
  });
});

describe('restore-pvc-delay-binding', () => {
  const RULE = 'restore-pvc-delay-binding';

  test('passes: ignoreDelayBinding with only Immediate classes listed', () => {
    expectClean(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: io2',
      '    volumeBindingMode: Immediate',
      'config:',
      '  restorePVC:',
      '    ignoreDelayBinding: true',
    ));
  });

  test('passes: ignoreDelayBinding with no inventory', () => {
    expectClean(yaml(V, V1181, 'config:', '  restorePVC:', '    ignoreDelayBinding: true'));
  });

  test('passes: ignoreDelayBinding false with WaitForFirstConsumer classes', () => {
    expectClean(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      '    volumeBindingMode: WaitForFirstConsumer',
      'config:',
      '  restorePVC:',
      '    ignoreDelayBinding: false',
    ));
  });

  test('ignoreDelayBinding with WaitForFirstConsumer classes listed: a warning naming them', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: gp3',
      '    volumeBindingMode: WaitForFirstConsumer',
      '  - name: io2',
      '    volumeBindingMode: Immediate',
      '  - name: st1',
      '    volumeBindingMode: WaitForFirstConsumer',
      'config:',
      '  restorePVC:',
      '    ignoreDelayBinding: true',
    ));
    expect(r.findings).toEqual([
      warning(r.file, RULE, {
        line: 12, column: 25, path: 'config.restorePVC.ignoreDelayBinding',
        message: 'restores ignore WaitForFirstConsumer on gp3, st1: each volume is provisioned for an arbitrary node',
        hint: 'keep it only if these classes have no topology constraints (zones, local volumes)',
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
  });
});

describe('cache-pvc-reclaim-policy', () => {
  const RULE = 'cache-pvc-reclaim-policy';
  const cacheOn = (reclaim: string[]) =>
    yaml(V, V1181, 'storageClasses:', '  - name: cache', ...reclaim, 'config:', '  cachePVC:', '    storageClass: cache', '    residentThresholdInMB: 1024');

  test('passes with reclaimPolicy Delete', () => {
    expectClean(cacheOn(['    reclaimPolicy: Delete']));
  });

  test('passes when the reclaimPolicy is not stated', () => {
    expectClean(cacheOn([]));
  });

  test('reclaimPolicy Retain is an error', () => {
    const r = run(cacheOn(['    reclaimPolicy: Retain']));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 8, column: 19, path: 'config.cachePVC.storageClass',
        message: 'StorageClass "cache" has reclaimPolicy Retain; Velero uses a cachePVC only with Delete',
        hint: 'use a class with reclaimPolicy: Delete',
      }),
    ]);
    expect(r.rendered).toEqual([]);
  });
});

describe('image-pinned', () => {
  const RULE = 'image-pinned';
  const HINT = 'pin a version tag (…:v1.18.1) or a digest (…@sha256:…)';
  const withImage = (image: string) => yaml(V, V1181, `  image: ${image}`);
  const DIGEST = 'sha256:' + 'a1b2c3d4'.repeat(8);

  test.each([
    'velero/velero:v1.18.1',
    'velero/velero:1.18.1',
    'registry:5000/x/velero:v1.18.1',
    `velero/velero@${DIGEST}`,
    `registry.example.com/velero/velero:v1.18.1@${DIGEST}`,
  ])('%s is pinned', (image) => {
    expectClean(withImage(image));
  });

  test.each([
    ['velero/velero:latest', 'image tag "latest" is not a version'],
    ['velero/velero', 'image "velero/velero" has no tag (it means latest)'],
    ['velero/velero:main', 'image tag "main" is not a version'],
    ['registry:5000/velero/velero', 'image "registry:5000/velero/velero" has no tag (it means latest)'],
  ])('%s is an error', (image, message) => {
    const r = run(withImage(image));
    expect(r.findings).toEqual([error(r.file, RULE, { line: 3, column: 10, path: 'velero.image', message, hint: HINT })]);
    expect(r.rendered).toEqual([]);
  });
});

describe('unprivileged-on-privileged-platform', () => {
  const RULE = 'unprivileged-on-privileged-platform';
  const HINT = 'remove privileged: false unless a custom SCC grants hostPath access';
  const unprivilegedOn = (platform: string) => yaml(`platform: ${platform}`, V, V1181, 'nodeAgent:', '  privileged: false');

  test.each([
    ['openshift', '/var/lib/kubelet/pods'],
    ['openshift-ibm-cloud', '/var/lib/kubelet/pods'],
    ['tkgi', '/var/vcap/data/kubelet/pods'],
  ])('privileged: false on %s is a warning, and the DaemonSet renders unprivileged', (platform, pods) => {
    const r = run(unprivilegedOn(platform));
    expect(r.findings).toEqual([
      warning(r.file, RULE, {
        line: 5, column: 15, path: 'nodeAgent.privileged',
        message: `platform ${platform} runs node-agent privileged; unprivileged it cannot read the volumes under ${pods}`,
        hint: HINT,
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
  });

  test.each(['kubernetes', 'k0s', 'microk8s'])('privileged: false on %s is fine', (platform) => {
    expectClean(unprivilegedOn(platform));
  });

  test('privileged: true on openshift is fine', () => {
    expectClean(yaml('platform: openshift', V, V1181, 'nodeAgent:', '  privileged: true'));
  });
});

describe('supported-version and newer-patch-release', () => {
  test.each(['1.13.0', '1.15.2', '1.16.2', '1.17.1', '1.18.1'])('%s is a known release', (version) => {
    expectClean(yaml(V, `  version: "${version}"`));
  });

  test.each(['1.12.3', '1.19.0', '2.0.0', '1.11.0'])('%s is not a release this tool knows', (version) => {
    const r = run(yaml(V, `  version: "${version}"`));
    expect(r.findings).toEqual([
      error(r.file, 'supported-version', {
        line: 2, column: 12, path: 'velero.version',
        message: `Velero ${version} is not a release this tool knows`,
        hint: 'known releases: 1.13.0 up to 1.18.1',
      }),
    ]);
    expect(r.rendered).toEqual([]);
  });

  test('a patch newer than the newest known one of its minor is a warning, and renders as that one', () => {
    const r = run(yaml(V, '  version: "1.18.2"'));
    expect(r.findings).toEqual([
      warning(r.file, 'newer-patch-release', {
        line: 2, column: 12, path: 'velero.version',
        message: 'Velero 1.18.2 is newer than the newest release this tool knows of 1.18 (1.18.1): rendered as 1.18.1',
        hint: 'check Velero\'s release notes for 1.18.2, or pin 1.18.1',
      }),
    ]);
    const ds = r.rendered[0].manifests.get('daemonset-node-agent.yaml') as any;
    expect(ds.spec.template.spec.containers[0].image).toBe('velero/velero:v1.18.2');
    // 1.18.1's OS scheduling: the affinity, no nodeSelector.
    expect(ds.spec.template.spec.nodeSelector).toBeUndefined();
    expect(ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator).toBe('NotIn');
  });

  test('1.15.5 is newer than 1.15.2, the newest known 1.15 patch', () => {
    const r = run(yaml(V, '  version: "1.15.5"'));
    expect(r.findings.map((f) => [f.rule, f.severity, f.message])).toEqual([
      ['newer-patch-release', 'warning', 'Velero 1.15.5 is newer than the newest release this tool knows of 1.15 (1.15.2): rendered as 1.15.2'],
    ]);
  });
});

describe('configmap-name', () => {
  const RULE = 'configmap-name';
  const named = (version: string, name: string) =>
    yaml(V, `  version: "${version}"`, 'nodeAgent:', `  configMapName: ${name}`, 'config:', '  loadConcurrency:', '    globalConfig: 1');

  test('passes: the legacy name before 1.15', () => {
    expectClean(named('1.14.0', 'node-agent-config'));
  });

  test('passes: any name from 1.15', () => {
    expectClean(named('1.15.0', 'velero-node-agent'));
  });

  test('another name before 1.15 is an error', () => {
    const r = run(named('1.14.0', 'velero-node-agent'));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 4, column: 18, path: 'nodeAgent.configMapName',
        message: 'Velero 1.14.0 reads only a ConfigMap named node-agent-config',
        hint: 'remove configMapName, or raise the Velero version to 1.15.0 or later (--node-agent-configmap)',
      }),
    ]);
    expect(r.rendered).toEqual([]);
  });
});

describe('reserved-pod-labels', () => {
  const RULE = 'reserved-pod-labels';

  test('passes: other labels, and the reserved ones with their own values', () => {
    expectClean(yaml(
      V, V1181,
      'nodeAgent:',
      '  podLabels:',
      '    team: storage',
      '    component: velero',
      '    name: node-agent',
      '    role: node-agent',
    ));
  });

  test.each([
    ['role', 'backup', 'node-agent'],
    ['name', 'agent', 'node-agent'],
    ['component', 'backup', 'velero'],
  ])('podLabels.%s: %s is an error at the key', (key, value, reserved) => {
    const r = run(yaml(V, V1181, 'nodeAgent:', '  podLabels:', '    team: storage', `    ${key}: ${value}`));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 6, column: 5, path: `nodeAgent.podLabels.${key}`,
        message: `pod label "${key}" is reserved: node-agent pods carry ${key}=${reserved}`,
        hint: 'use another label key',
      }),
    ]);
  });
});

describe("the three wrong examples in Velero's docs", () => {
  test('a top-level config.prepareQueueLength: the hint shows it under loadConcurrency', () => {
    const r = run(yaml(V, V1181, 'config:', '  prepareQueueLength: 10'));
    expect(r.findings).toEqual([
      error(r.file, 'schema', {
        line: 4, column: 3, path: 'config.prepareQueueLength',
        message: 'unknown key "prepareQueueLength"',
        hint: 'prepareQueueLength belongs under loadConcurrency: {"loadConcurrency": {"prepareQueueLength": 10}}',
      }),
    ]);
    expect(r.rendered).toEqual([]);
  });

  test('a boolean in config.backupPVC.<class>.annotations: the hint says to quote it', () => {
    const r = run(yaml(
      V, V1181,
      'config:',
      '  backupPVC:',
      '    gp3:',
      '      annotations:',
      '        example.com/snapshot: true',
    ));
    expect(r.findings).toEqual([
      error(r.file, 'schema', {
        line: 7, column: 31, path: 'config.backupPVC.gp3.annotations["example.com/snapshot"]',
        message: 'expected a string, got boolean true',
        hint: 'annotation values are strings: quote true, false and numbers',
      }),
    ]);
  });

  test('config.cachePVC.thresholdInGB: the hint names residentThresholdInMB', () => {
    const r = run(yaml(V, V1181, 'config:', '  cachePVC:', '    storageClass: cache', '    thresholdInGB: 10'));
    expect(r.findings).toEqual([
      error(r.file, 'schema', {
        line: 6, column: 5, path: 'config.cachePVC.thresholdInGB',
        message: 'unknown key "thresholdInGB"',
        hint: 'the field is residentThresholdInMB (an integer in MB): {"cachePVC": {"residentThresholdInMB": 10240}}',
      }),
    ]);
  });

  test('the right forms pass', () => {
    expectClean(yaml(
      V, V1181,
      'config:',
      '  loadConcurrency:',
      '    prepareQueueLength: 10',
      '  backupPVC:',
      '    gp3:',
      '      annotations:',
      '        example.com/snapshot: "true"',
      '  cachePVC:',
      '    storageClass: cache',
      '    residentThresholdInMB: 10240',
    ));
  });
});

describe('waivers (policyExceptions)', () => {
  const latest = (...exceptions: string[]) =>
    yaml(V, V1181, '  image: velero/velero:latest', ...(exceptions.length ? ['policyExceptions:', ...exceptions] : []));

  test('a waived error becomes a warning whose hint is the reason, and the environment renders', () => {
    const r = run(latest('  - rule: image-pinned', '    reason: the lab cluster tracks upstream'));
    expect(r.findings).toEqual([
      warning(r.file, 'image-pinned', {
        line: 3, column: 10, path: 'velero.image',
        message: 'image tag "latest" is not a version',
        hint: 'waived: the lab cluster tracks upstream',
        waiver: 'the lab cluster tracks upstream',
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
    expect(r.rendered[0].name).toBe('test-env');
    expect(r.waivers).toEqual([
      { file: r.file, line: 5, column: 11, environment: 'test-env', rule: 'image-pinned', reason: 'the lab cluster tracks upstream' },
    ]);
  });

  test('without the waiver the same environment is an error and renders nothing', () => {
    const r = run(latest());
    expect(r.findings.map((f) => [f.rule, f.severity])).toEqual([['image-pinned', 'error']]);
    expect(r.rendered).toEqual([]);
    expect(r.waivers).toEqual([]);
  });

  test('a waiver turns every error of its rule into a warning, and no other rule', () => {
    const r = run(yaml(
      'name: lab',
      V, V1181,
      '  image: velero/velero:latest',
      'storageClasses:',
      '  - name: gp3',
      'config:',
      '  backupPVC:',
      '    gp2:',
      '      storageClass: io1',
      'policyExceptions:',
      '  - rule: storage-class-exists',
      '    reason: classes are created by the cluster bootstrap',
    ));
    const waived = { hint: 'waived: classes are created by the cluster bootstrap', waiver: 'classes are created by the cluster bootstrap' };
    expect(r.findings).toEqual([
      error(r.file, 'image-pinned', { line: 4, column: 10, path: 'velero.image', message: 'image tag "latest" is not a version', hint: 'pin a version tag (…:v1.18.1) or a digest (…@sha256:…)' }),
      warning(r.file, 'storage-class-exists', { line: 9, column: 5, path: 'config.backupPVC.gp2', message: 'StorageClass "gp2" is not in storageClasses', ...waived }),
      warning(r.file, 'storage-class-exists', { line: 10, column: 21, path: 'config.backupPVC.gp2.storageClass', message: 'StorageClass "io1" is not in storageClasses', ...waived }),
    ]);
    expect(r.rendered).toEqual([]);
    expect(r.waivers).toEqual([
      { file: r.file, line: 12, column: 11, environment: 'lab', rule: 'storage-class-exists', reason: 'classes are created by the cluster bootstrap' },
    ]);
  });

  /** The error image-pinned reports when no waiver is in force. */
  const unwaived = (file: string) =>
    error(file, 'image-pinned', {
      line: 3, column: 10, path: 'velero.image', message: 'image tag "latest" is not a version',
      hint: 'pin a version tag (…:v1.18.1) or a digest (…@sha256:…)',
    });

  test.each([
    ['an empty', '""', 'got the string ""'],
    ['a blank', '"   "', 'got the string "   "'],
  ])('a waiver with %s reason is an error and waives nothing', (_, reason, got) => {
    const r = run(latest('  - rule: image-pinned', `    reason: ${reason}`));
    expect(r.findings).toEqual([
      unwaived(r.file),
      error(r.file, 'schema', {
        line: 6, column: 13, path: 'policyExceptions[0].reason',
        message: `expected a reason: why this environment may break the rule; ${got}`,
        hint: 'reviewers read the reason; every run lists the waivers',
      }),
    ]);
    expect(r.rendered).toEqual([]);
    expect(r.waivers).toEqual([]);
  });

  test('a waiver with no reason key is an error and waives nothing', () => {
    const r = run(latest('  - rule: image-pinned'));
    expect(r.findings).toEqual([
      unwaived(r.file),
      error(r.file, 'schema', { line: 5, column: 5, path: 'policyExceptions[0]', message: 'missing required key "reason"' }),
    ]);
    expect(r.rendered).toEqual([]);
    expect(r.waivers).toEqual([]);
  });

  test('a waiver naming an unknown rule is an error with a did-you-mean', () => {
    const r = run(yaml(V, V1181, 'policyExceptions:', '  - rule: image-pined', '    reason: typo'));
    expect(r.findings).toEqual([
      error(r.file, 'policy-exception', {
        line: 4, column: 11, path: 'policyExceptions[0].rule',
        message: 'unknown rule "image-pined"',
        hint: 'did you mean "image-pinned"?',
      }),
    ]);
    expect(r.rendered).toEqual([]);
    expect(r.waivers).toEqual([]);
  });

  test('a waiver naming a rule unlike any lists the rules that can be waived', () => {
    const r = run(yaml(V, V1181, 'policyExceptions:', '  - rule: everything', '    reason: please'));
    expect(r.findings).toEqual([
      error(r.file, 'policy-exception', {
        line: 4, column: 11, path: 'policyExceptions[0].rule',
        message: 'unknown rule "everything"',
        hint: `rules that can be waived: ${RULES.filter((rule) => rule.severity === 'error').map((rule) => rule.id).join(', ')}`,
      }),
    ]);
    expect(r.findings[0].hint).toContain('storage-class-exists, backup-pvc-read-only, pod-resources, ');
    expect(r.findings[0].hint).not.toContain('load-concurrency-overlap'); // a warning: nothing to waive
  });

  test('a waiver that matches nothing is a warning; it is still listed and the environment renders', () => {
    const r = run(yaml(V, V1181, 'policyExceptions:', '  - rule: image-pinned', '    reason: in case we mirror latest'));
    expect(r.findings).toEqual([
      warning(r.file, 'policy-exception', {
        line: 4, column: 11, path: 'policyExceptions[0].rule',
        message: 'the waiver for image-pinned matches nothing in this environment',
        hint: 'remove it',
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
    expect(r.waivers).toEqual([
      { file: r.file, line: 4, column: 11, environment: 'test-env', rule: 'image-pinned', reason: 'in case we mirror latest' },
    ]);
  });
});

describe('storage-class-name', () => {
  const RULE = 'storage-class-name';
  const WHY = 'it must be lower-case letters, digits, "-" and ".", starting and ending with a letter or digit';
  const HINT = 'StorageClass names are DNS-1123 subdomains; use the name `kubectl get storageclass` prints';

  test("the sample of Velero's backupPVC doc (backupPVC-storage-class) is an error at the key and at the target", () => {
    const r = run(yaml(V, V1181, 'config:', '  backupPVC:', '    backupPVC-storage-class:', '      storageClass: backupPVC-storage-class'));
    expect(r.findings.filter((f) => f.rule === RULE)).toEqual([
      error(r.file, RULE, { line: 5, column: 5, path: 'config.backupPVC.backupPVC-storage-class', message: `"backupPVC-storage-class" cannot be a StorageClass name: ${WHY}`, hint: HINT }),
      error(r.file, RULE, { line: 6, column: 21, path: 'config.backupPVC.backupPVC-storage-class.storageClass', message: `"backupPVC-storage-class" cannot be a StorageClass name: ${WHY}`, hint: HINT }),
    ]);
    expect(r.rendered).toEqual([]);
  });

  test('loadAffinity, cachePVC and the inventory are checked too', () => {
    const r = run(yaml(
      V, V1181,
      'storageClasses:',
      '  - name: Fast_SSD',
      'config:',
      '  loadAffinity:',
      '    - nodeSelector: {}',
      '      storageClass: -gp3',
      '  cachePVC:',
      '    storageClass: cache.',
    ));
    expect(r.findings.filter((f) => f.rule === RULE).map((f) => [f.line, f.column, f.path])).toEqual([
      [4, 11, 'storageClasses[0].name'],
      [8, 21, 'config.loadAffinity[0].storageClass'],
      [10, 19, 'config.cachePVC.storageClass'],
    ]);
  });

  test('a name of 254 characters is too long', () => {
    const name = 'a'.repeat(254);
    const { found } = findingsOf(yaml(V, V1181, 'config:', '  backupPVC:', `    ${name}: {}`), RULE);
    expect(found.map((f) => f.message)).toEqual([`"${name}" cannot be a StorageClass name: it is 254 characters long; the limit is 253`]);
  });

  test('valid names pass', () => {
    expectClean(yaml(V, V1181, 'config:', '  backupPVC:', '    gp3.fast:', '      storageClass: ocs-storagecluster-ceph-rbd'));
  });
});

describe('image-version', () => {
  test('an image tag of another version than velero.version is a warning, and renders', () => {
    const r = run(yaml(V, V1181, '  image: registry.example.com/velero/velero:v1.17.2'));
    expect(r.findings).toEqual([
      warning(r.file, 'image-version', {
        line: 3, column: 10, path: 'velero.image',
        message: 'the image tag names Velero 1.17.2, but version is 1.18.1',
        hint: 'set version to 1.17.2, or use the image of 1.18.1 (velero:v1.18.1)',
      }),
    ]);
    expect(r.rendered).toHaveLength(1);
  });

  test.each(['registry.example.com/velero/velero:v1.18.1', 'velero/velero:1.18.1', `velero/velero@sha256:${'ab'.repeat(32)}`])('%s matches', (image) => {
    expectClean(yaml(V, V1181, `  image: ${image}`));
  });
});

describe('priority-class-exists', () => {
  const RULE = 'priority-class-exists';
  const HINT = 'known classes: system-node-critical; add it to priorityClasses if the cluster has it';

  test('both priority classes must be in the inventory', () => {
    const r = run(yaml(
      V, V1181,
      'priorityClasses: [system-node-critical]',
      'nodeAgent:',
      '  priorityClassName: velero-critical',
      'config:',
      '  priorityClassName: data-mover',
    ));
    expect(r.findings).toEqual([
      error(r.file, RULE, { line: 5, column: 22, path: 'nodeAgent.priorityClassName', message: 'PriorityClass "velero-critical" is not in priorityClasses: the API server refuses node-agent\'s pods', hint: HINT }),
      error(r.file, RULE, { line: 7, column: 22, path: 'config.priorityClassName', message: 'PriorityClass "data-mover" is not in priorityClasses: Velero drops it and data movers run at default priority', hint: HINT }),
    ]);
  });

  test('passes when the inventory has them', () => {
    expectClean(yaml(V, V1181, 'priorityClasses: [system-node-critical, data-mover]', 'nodeAgent:', '  priorityClassName: system-node-critical', 'config:', '  priorityClassName: data-mover'));
  });

  test('without priorityClasses it cannot run, and the run says so', () => {
    const r = run(yaml(V, V1181, 'nodeAgent:', '  priorityClassName: velero-critical'));
    expect(r.findings).toEqual([]);
    expect(r.skipped).toEqual([{ environment: 'test-env', rules: [RULE], needs: ['priorityClasses'] }]);
  });
});

describe('labels-and-annotations', () => {
  const RULE = 'labels-and-annotations';

  test('invalid pod label keys and values, and invalid annotation keys, in the DaemonSet and the ConfigMap', () => {
    const r = run(yaml(
      V, V1181,
      'nodeAgent:',
      '  podLabels:',
      '    team/storage/x: a',
      '    tier: "cold storage"',
      '  podAnnotations:',
      '    -bad: x',
      'config:',
      '  podLabels:',
      '    _x: y',
      '  backupPVC:',
      '    gp3:',
      '      annotations:',
      '        "example.com/": v',
    ));
    expect(r.findings.filter((f) => f.rule === RULE).map((f) => [f.line, f.column, f.path, f.message])).toEqual([
      [5, 5, 'nodeAgent.podLabels["team/storage/x"]', 'invalid label key "team/storage/x": the prefix "team/storage" is not a DNS subdomain'],
      [6, 11, 'nodeAgent.podLabels.tier', `invalid label value: "cold storage" ${LABEL_VALUE_RULES}`],
      [8, 5, 'nodeAgent.podAnnotations.-bad', `invalid annotation key "-bad": "-bad" ${LABEL_NAME_RULES}`],
      [11, 5, 'config.podLabels._x', `invalid label key "_x": "_x" ${LABEL_NAME_RULES}`],
      [15, 9, 'config.backupPVC.gp3.annotations["example.com/"]', `invalid annotation key "example.com/": "" ${LABEL_NAME_RULES}`],
    ]);
  });

  test('pod annotations over 256 KiB in all are an error at the map', () => {
    const big = 'x'.repeat(140 * 1024);
    const r = run(yaml(V, V1181, 'nodeAgent:', '  podAnnotations:', `    example.com/a: ${big}`, `    example.com/b: ${big}`));
    expect(r.findings).toEqual([
      error(r.file, RULE, {
        line: 5, column: 5, path: 'nodeAgent.podAnnotations',
        message: `the pod annotations total ${2 * (13 + 140 * 1024)} bytes; the API server accepts at most 262144 (256 KiB)`,
        hint: 'shorten or drop annotations',
      }),
    ]);
  });

  test('labels named constructor or toString are ordinary labels', () => {
    const r = run(yaml(V, V1181, 'nodeAgent:', '  podLabels:', '    constructor: x', '    toString: y'));
    expect(r.findings).toEqual([]);
    const ds = r.rendered[0].manifests.get('daemonset-node-agent.yaml') as any;
    expect(ds.spec.template.metadata.labels).toEqual({ constructor: 'x', toString: 'y', component: 'velero', name: 'node-agent', role: 'node-agent' });
  });
});

describe('tolerations', () => {
  const RULE = 'tolerations';

  test('what the API server rejects', () => {
    const r = run(yaml(
      V, V1181,
      'nodeAgent:',
      '  tolerations:',
      '    - {operator: Equal, value: x}',
      '    - {key: dedicated, operator: Exists, value: batch}',
      '    - {key: dedicated, value: "no spaces"}',
      '    - {key: "bad key", operator: Exists}',
      '    - {key: dedicated, operator: Exists, effect: NoSchedule, tolerationSeconds: 30}',
    ));
    expect(r.findings.map((f) => [f.rule, f.line, f.path, f.message])).toEqual([
      [RULE, 5, 'nodeAgent.tolerations[0]', 'a toleration without a key must have operator Exists (it then matches every taint)'],
      [RULE, 6, 'nodeAgent.tolerations[1].value', 'operator Exists takes no value'],
      [RULE, 7, 'nodeAgent.tolerations[2].value', `invalid taint value: "no spaces" ${LABEL_VALUE_RULES}`],
      [RULE, 8, 'nodeAgent.tolerations[3].key', `invalid taint key "bad key": "bad key" ${LABEL_NAME_RULES}`],
      [RULE, 9, 'nodeAgent.tolerations[4].tolerationSeconds', 'tolerationSeconds applies only to effect NoExecute'],
    ]);
  });

  test('valid tolerations pass', () => {
    expectClean(yaml(
      V, V1181,
      'nodeAgent:',
      '  tolerations:',
      '    - {operator: Exists}',
      '    - {key: dedicated, operator: Equal, value: batch, effect: NoSchedule}',
      '    - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}',
    ));
  });
});

describe('resource-quantities', () => {
  const RULE = 'resource-quantities';

  test('a negative, a too-large and a malformed quantity, and a request above its limit', () => {
    const r = run(yaml(
      V, V1181,
      'nodeAgent:',
      '  resources:',
      '    requests: {cpu: "-1", memory: 2Gi, ephemeral-storage: "1e999999999"}',
      '    limits: {memory: 1Gi, cpu: 2x}',
    ));
    expect(r.findings.map((f) => [f.rule, f.line, f.path, f.message])).toEqual([
      [RULE, 5, 'nodeAgent.resources.requests.cpu', '"-1" is negative'],
      [RULE, 5, 'nodeAgent.resources.requests.memory', 'the memory request "2Gi" is above its limit "1Gi"'],
      [RULE, 5, 'nodeAgent.resources.requests.ephemeral-storage', '"1e999999999" is larger than Kubernetes quantities can be (2^63-1)'],
      ['schema', 6, 'nodeAgent.resources.limits.cpu', 'expected a Kubernetes quantity such as "500m", "1", "512Mi" or "2Gi"; got the string "2x"'],
    ]);
  });

  test('requests at or below their limits pass, numbers included', () => {
    expectClean(yaml(V, V1181, 'nodeAgent:', '  resources:', '    requests: {cpu: 500m, memory: 1Gi}', '    limits: {cpu: 1, memory: 1024Mi}'));
  });
});

describe('kubelet-root-dir', () => {
  const RULE = 'kubelet-root-dir';
  const HINT = "write the kubelet's --root-dir as an absolute path, such as /var/lib/kubelet";

  test.each([
    ['var/lib/kubelet', 'is not an absolute path'],
    ['/', 'is the root folder'],
    ['/data/kubelet/', 'has an empty segment (// or a trailing /)'],
    ['/data//kubelet', 'has an empty segment (// or a trailing /)'],
    ['/data/../etc', 'has a . or .. segment'],
  ])('%s %s', (dir, problem) => {
    const r = run(yaml(`kubeletRootDir: ${dir}`, V, V1181));
    expect(r.findings).toEqual([error(r.file, RULE, { line: 1, column: 17, path: 'kubeletRootDir', message: `"${dir}" ${problem}`, hint: HINT })]);
    expect(r.rendered).toEqual([]);
  });

  test('an absolute, normalised folder passes', () => {
    expectClean(yaml('kubeletRootDir: /data/kubelet', V, V1181));
  });
});

describe('system-namespace', () => {
  test.each(['kube-system', 'default', 'openshift-adp'])('createNamespace on %s is a warning', (namespace) => {
    const r = run(yaml(V, V1181, `  namespace: ${namespace}`, '  createNamespace: true'));
    expect(r.findings).toEqual([
      warning(r.file, 'system-namespace', {
        line: 4, column: 20, path: 'velero.createNamespace',
        message: `${namespace} is a system namespace: rendering it relabels it with Pod Security privileged for every pod in it`,
        hint: 'install Velero into a namespace of its own, or remove createNamespace',
      }),
    ]);
  });

  test('a namespace of its own passes; a system namespace without createNamespace too', () => {
    expectClean(yaml(V, V1181, '  namespace: backup', '  createNamespace: true'));
    expectClean(yaml(V, V1181, '  namespace: kube-system'));
  });
});

describe('unconfined-profile and forged-config-checksum', () => {
  test('AppArmor and seccomp unconfined are warnings', () => {
    const r = run(yaml(
      V, V1181,
      'nodeAgent:',
      '  podAnnotations:',
      '    container.apparmor.security.beta.kubernetes.io/node-agent: unconfined',
      '    seccomp.security.alpha.kubernetes.io/pod: unconfined',
    ));
    expect(r.findings.map((f) => [f.rule, f.severity, f.line, f.message])).toEqual([
      ['unconfined-profile', 'warning', 5, 'container.apparmor.security.beta.kubernetes.io/node-agent: unconfined turns the profile off for node-agent'],
      ['unconfined-profile', 'warning', 6, 'seccomp.security.alpha.kubernetes.io/pod: unconfined turns the profile off for node-agent'],
    ]);
  });

  test('a hand-set checksum/node-agent-config is a warning, and the rendered one is the real hash', () => {
    const r = run(yaml(V, V1181, 'nodeAgent:', '  podAnnotations:', '    checksum/node-agent-config: forged', 'config:', '  loadConcurrency:', '    globalConfig: 1'));
    expect(r.findings).toEqual([
      warning(r.file, 'forged-config-checksum', {
        line: 5, column: 5, path: 'nodeAgent.podAnnotations["checksum/node-agent-config"]',
        message: 'checksum/node-agent-config is set by this tool from the ConfigMap\'s data', hint: 'remove it',
      }),
    ]);
    const ds = r.rendered[0].manifests.get('daemonset-node-agent.yaml') as any;
    expect(ds.spec.template.metadata.annotations['checksum/node-agent-config']).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('openshift-privileged-fs-backup', () => {
  test('privilegedFsBackup: false on OpenShift from 1.17.1 is a warning that says what breaks', () => {
    const r = run(yaml('platform: openshift', V, '  version: "1.17.1"', 'config:', '  privilegedFsBackup: false'));
    expect(r.findings).toEqual([
      warning(r.file, 'openshift-privileged-fs-backup', {
        line: 5, column: 23, path: 'config.privilegedFsBackup',
        message: 'fs-backup pods will run unprivileged: on OpenShift they cannot read the pod volumes, and file-system backups fail at backup time',
        hint: "remove it: this tool renders privilegedFsBackup: true on OpenShift, as Velero's docs require",
      }),
    ]);
    const cm = r.rendered[0].manifests.get('configmap-node-agent-config.yaml') as any;
    expect(cm.data['node-agent-config.json']).toBe('{\n  "privilegedFsBackup": false\n}\n');
  });

  test('on kubernetes, privilegedFsBackup: false is fine', () => {
    expectClean(yaml(V, V1181, 'config:', '  privilegedFsBackup: false'));
  });
});

describe('disable-host-path', () => {
  test('fs-backup settings with disableHostPath are errors', () => {
    const r = run(yaml('kubeletRootDir: /data/kubelet', V, V1181, 'nodeAgent:', '  disableHostPath: true', '  privileged: true', 'config:', '  privilegedFsBackup: true'));
    const hint = 'remove it, or drop disableHostPath to keep file-system backup';
    expect(r.findings).toEqual([
      error(r.file, 'disable-host-path', { line: 1, column: 17, path: 'kubeletRootDir', message: 'no host path is mounted with disableHostPath', hint }),
      error(r.file, 'disable-host-path', { line: 6, column: 15, path: 'nodeAgent.privileged', message: 'node-agent needs no privilege without the host path', hint }),
      error(r.file, 'disable-host-path', { line: 8, column: 23, path: 'config.privilegedFsBackup', message: 'there are no fs-backup pods without the host path', hint }),
    ]);
  });

  test('disableHostPath before 1.17 is too new', () => {
    const r = run(yaml(V, '  version: "1.16.2"', 'nodeAgent:', '  disableHostPath: true'));
    expect(r.findings.map((f) => [f.rule, f.message])).toEqual([
      ['velero-version', '"disableHostPath" was introduced in Velero 1.17.0; this environment runs Velero 1.16.2'],
    ]);
  });

  test('on OpenShift, disableHostPath renders no host path, an unprivileged node-agent and no privilegedFsBackup', () => {
    const r = run(yaml('platform: openshift', V, V1181, 'nodeAgent:', '  disableHostPath: true'));
    expect(r.findings).toEqual([]);
    const ds = r.rendered[0].manifests.get('daemonset-node-agent.yaml') as any;
    expect(ds.spec.template.spec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
    expect(ds.spec.template.spec.containers[0].securityContext).toEqual({ privileged: false });
    expect([...r.rendered[0].files.keys()]).toEqual(['daemonset-node-agent.yaml', 'kustomization.yaml', 'rolebinding-velero-scc-privileged.yaml']);
  });
});

describe('server-flag-duration', () => {
  test.each([
    ['45x', '"45x" is not a Go duration: "x" is not a unit (ns, us, ms, s, m, h)', 'dataMoverPrepareTimeout', '--data-mover-prepare-timeout', '30m'],
    ['90', '"90" is not a Go duration: a number has no unit (ns, us, ms, s, m, h)', 'resourceTimeout', '--resource-timeout', '10m'],
    ['-5m', '"-5m" is not positive', 'resourceTimeout', '--resource-timeout', '10m'],
    ['0', '"0" is not positive', 'dataMoverPrepareTimeout', '--data-mover-prepare-timeout', '30m'],
    ['3000000h', '"3000000h" is not a Go duration: it is longer than Go durations can be (about 292 years)', 'resourceTimeout', '--resource-timeout', '10m'],
  ])('%s', (value, message, setting, flag, fallback) => {
    const r = run(yaml(V, V1181, 'nodeAgent:', `  ${setting}: "${value}"`));
    expect(r.findings).toEqual([
      error(r.file, 'server-flag-duration', {
        line: 4, column: setting.length + 5, path: `nodeAgent.${setting}`, message,
        hint: `write e.g. "45m" or "1h30m" (${flag}, node-agent's default ${fallback})`,
      }),
    ]);
  });

  test('Go durations pass and become flags', () => {
    const r = run(yaml(V, V1181, 'nodeAgent:', '  dataMoverPrepareTimeout: 1h30m', '  resourceTimeout: 1.5m'));
    expect(r.findings).toEqual([]);
    const ds = r.rendered[0].manifests.get('daemonset-node-agent.yaml') as any;
    expect(ds.spec.template.spec.containers[0].args).toEqual(['node-agent', 'server', '--resource-timeout=1.5m', '--data-mover-prepare-timeout=1h30m']);
  });
});

describe('reserved-env', () => {
  test('variables velero install sets itself are errors', () => {
    const r = run(yaml(V, V1181, 'nodeAgent:', '  env:', '    - {name: HTTPS_PROXY, value: "http://proxy:3128"}', '    - {name: AWS_SHARED_CREDENTIALS_FILE, value: /x}'));
    expect(r.findings).toEqual([
      error(r.file, 'reserved-env', {
        line: 6, column: 14, path: 'nodeAgent.env[1].name',
        message: "AWS_SHARED_CREDENTIALS_FILE is set by Velero's DaemonSet itself", hint: 'remove it; credentials come from credentialsSecret',
      }),
    ]);
  });

  test('proxy settings pass and follow the variables velero install sets', () => {
    const r = run(yaml(V, V1181, 'nodeAgent:', '  env:', '    - {name: HTTPS_PROXY, value: "http://proxy:3128"}', '    - {name: NO_PROXY, value: ".svc,10.0.0.0/8"}'));
    expect(r.findings).toEqual([]);
    const ds = r.rendered[0].manifests.get('daemonset-node-agent.yaml') as any;
    expect(ds.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(['NODE_NAME', 'VELERO_NAMESPACE', 'VELERO_SCRATCH_DIR', 'HTTPS_PROXY', 'NO_PROXY']);
  });
});

describe('node-selector-os', () => {
  test('kubernetes.io/os in nodeAgent.nodeSelector is an error', () => {
    const r = run(yaml(V, V1181, 'nodeAgent:', '  nodeSelector:', '    kubernetes.io/os: windows'));
    expect(r.findings).toEqual([
      error(r.file, 'node-selector-os', {
        line: 5, column: 5, path: 'nodeAgent.nodeSelector["kubernetes.io/os"]',
        message: 'kubernetes.io/os is set by this tool: node-agent runs on Linux nodes (node-agent-windows, with nodeAgent.windows, on Windows ones)',
        hint: 'remove kubernetes.io/os from nodeSelector',
      }),
    ]);
  });

  test('other node labels pass', () => {
    expectClean(yaml(V, V1181, 'nodeAgent:', '  nodeSelector:', '    kubernetes.io/arch: arm64'));
  });
});
