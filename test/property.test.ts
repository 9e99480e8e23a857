/**
 * Property-based tests (fast-check) of the whole pipeline, synthesize() on throwaway folders:
 * - any valid generated environment renders: no error, one node-agent DaemonSet with Velero's
 *   selector, a ConfigMap whose one data value is the config given, the same bytes every time;
 * - any mutation of a valid one (a misspelled key, a wrong type, an out-of-range number, an
 *   unsupported version) is rejected with an error naming the key, nothing rendered, no throw.
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as semver from 'semver';
import { parse, stringify } from 'yaml';
import { PLATFORM_NAMES } from '../velero/platforms';
import { Finding } from '../pipeline/findings';
import { synthesize, SynthResult } from '../pipeline/synth';
import { Inventory, NodeAgentSpecSchema } from '../policies/schema/spec';

const NUM_RUNS = 80;

// ---------------------------------------------------------------------------------------------
// Throwaway folders: one per test file, rewritten for every generated environment.

let base: string;
beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'property-'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** Writes `env` as `<base>/<folder>/env.yaml` (replacing what was there) and returns the folder. */
function writeEnvironment(folder: string, env: unknown): string {
  const dir = path.join(base, folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'env.yaml'), stringify(env));
  return dir;
}

/** synthesize() of `env`; a throw is turned into a failed expectation that says what threw. */
function synth(env: unknown, folder = 'envs'): SynthResult {
  const dir = writeEnvironment(folder, env);
  try {
    return synthesize(dir, path.join(base, 'out'));
  } catch (e) {
    throw new Error(`synthesize threw on\n${stringify(env)}\n${(e as Error).stack}`);
  }
}

const errorsOf = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error');

/** The key path as findings print it: `config.backupPVC["gp3.fast"].readOnly`, `velero.features[0]`. */
function fmt(segments: readonly (string | number)[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z0-9_-]+$/.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`))
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Arbitraries for valid environments.

const VERSIONS = ['1.13.0', '1.14.1', '1.15.2', '1.16.1', '1.17.2', '1.18.0', '1.18.1'] as const;
const RESERVED_POD_LABELS = ['component', 'name', 'role'];

const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/);
const dnsSubdomain = fc.array(dnsLabel, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const labelName = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/);
const labelKey = fc
  .tuple(fc.option(dnsSubdomain, { nil: undefined }), labelName)
  .map(([prefix, name]) => (prefix ? `${prefix}/${name}` : name));
const labelValue = fc.oneof(fc.constant(''), labelName);
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const annotations = fc.dictionary(labelKey, fc.string({ maxLength: 12 }), { maxKeys: 3 });

/** A quantity with its exact value in nano-units (BigInt), so the oracle does no float arithmetic. */
const UNITS: readonly [string, bigint][] = [
  ['', 10n ** 9n], ['m', 10n ** 6n], ['k', 10n ** 12n], ['M', 10n ** 15n], ['G', 10n ** 18n],
  ['Ki', 1024n * 10n ** 9n], ['Mi', 1024n ** 2n * 10n ** 9n], ['Gi', 1024n ** 3n * 10n ** 9n],
];
const quantity = fc
  .tuple(fc.integer({ min: 0, max: 4096 }), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }), fc.constantFrom(...UNITS))
  .map(([whole, tenth, [suffix, scale]]) => ({
    text: tenth === undefined ? `${whole}${suffix}` : `${whole}.${tenth}${suffix}`,
    value: ((BigInt(whole) * 10n + BigInt(tenth ?? 0)) * scale) / 10n,
  }));
/** [request, limit] with request <= limit, or a limit of "0" (unbounded). */
const requestAndLimit = fc.oneof(
  fc.tuple(quantity, quantity).map(([a, b]) => (a.value <= b.value ? [a.text, b.text] : [b.text, a.text])),
  quantity.map((q) => [q.text, '0']),
);

const selector = fc.record(
  {
    matchLabels: labels,
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(labelValue, { minLength: 1, maxLength: 3 }) }),
        fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

type StorageClass = { name: string; readOnlyFromSnapshot?: boolean; volumeBindingMode?: string; reclaimPolicy?: string };
const inventoryArb: fc.Arbitrary<StorageClass[]> = fc.uniqueArray(
  fc.record(
    {
      name: dnsSubdomain,
      readOnlyFromSnapshot: fc.boolean(),
      volumeBindingMode: fc.constantFrom('Immediate', 'WaitForFirstConsumer'),
      reclaimPolicy: fc.constantFrom('Delete', 'Retain'),
    },
    { requiredKeys: ['name'] },
  ),
  { minLength: 1, maxLength: 4, selector: (sc) => sc.name },
);

function veleroArb(version: string) {
  return fc.record(
    {
      version: fc.constant(version),
      namespace: dnsLabel,
      image: fc.constantFrom(
        `velero/velero:v${version}`,
        `registry.example.com:5000/mirror/velero:v${version}`,
        `velero/velero@sha256:${'0123456789abcdef'.repeat(4)}`,
      ),
      serviceAccountName: dnsSubdomain,
      features: fc.uniqueArray(fc.constantFrom('EnableCSI', 'EnableAPIGroupVersions', 'EnableBrokenFlag1'), { maxLength: 2 }),
      credentialsSecret: dnsSubdomain,
      createNamespace: fc.boolean(),
    },
    { requiredKeys: ['version'] },
  );
}

function nodeAgentArb(version: string) {
  const toleration = fc.oneof(
    fc.record({ key: labelKey, operator: fc.constant('Exists'), effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule') }, { requiredKeys: ['operator'] }),
    fc.record({ key: labelKey, operator: fc.constant('Equal'), value: labelValue, effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule') }, { requiredKeys: ['key', 'operator', 'value'] }),
    fc.record({ key: labelKey, operator: fc.constant('Exists'), effect: fc.constant('NoExecute'), tolerationSeconds: fc.integer({ min: 0, max: 3600 }) }),
  );
  const resources = fc
    .tuple(requestAndLimit, requestAndLimit)
    .map(([[cpuRequest, cpuLimit], [memoryRequest, memoryLimit]]) => ({ cpuRequest, cpuLimit, memoryRequest, memoryLimit }))
    .chain((q) =>
      fc.record(
        {
          requests: fc.record({ cpu: fc.constant(q.cpuRequest), memory: fc.constant(q.memoryRequest) }, { requiredKeys: [] }),
          limits: fc.record(
            // A container limit of "0" is not "unbounded" to Kubernetes: use the request instead.
            { cpu: fc.constant(q.cpuLimit === '0' ? q.cpuRequest : q.cpuLimit), memory: fc.constant(q.memoryLimit === '0' ? q.memoryRequest : q.memoryLimit) },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
    );
  return fc.record(
    {
      privileged: fc.boolean(),
      configMapName: semver.gte(version, '1.15.0') ? dnsSubdomain : fc.constant('node-agent-config'),
      resources,
      tolerations: fc.array(toleration, { maxLength: 2 }),
      nodeSelector: labels,
      priorityClassName: dnsSubdomain,
      podLabels: labels.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !RESERVED_POD_LABELS.includes(k)))),
      podAnnotations: annotations,
      logLevel: fc.constantFrom('trace', 'debug', 'info', 'warning', 'error', 'fatal', 'panic'),
      logFormat: fc.constantFrom('text', 'json'),
      readOnlyRootFilesystem: fc.boolean(),
    },
    { requiredKeys: [] },
  );
}

/** A config whose every section exists in `version` and passes every error-severity rule. */
function configArb(version: string, inventory: StorageClass[] | undefined) {
  const since = (v: string) => semver.gte(version, v);
  const classOf = (name: string) => inventory?.find((sc) => sc.name === name);
  const classRef = inventory ? fc.constantFrom(...inventory.map((sc) => sc.name)) : dnsSubdomain;
  const sections: Record<string, fc.Arbitrary<unknown>> = {};

  sections.loadConcurrency = fc.record(
    {
      globalConfig: fc.integer({ min: 1, max: 16 }),
      perNodeConfig: fc.array(fc.record({ nodeSelector: selector, number: fc.integer({ min: 1, max: 8 }) }), { maxLength: 3 }),
      ...(since('1.17.0') && { prepareQueueLength: fc.integer({ min: 1, max: 100 }) }),
    },
    { requiredKeys: [] },
  );
  if (since('1.14.0')) {
    sections.loadAffinity = fc.array(
      fc.record({ nodeSelector: selector, ...(since('1.17.0') && { storageClass: classRef }) }, { requiredKeys: ['nodeSelector'] }),
      { maxLength: 3 },
    );
  }
  if (since('1.15.0')) {
    const settings = fc.record(
      {
        storageClass: classRef,
        readOnly: fc.boolean(),
        spcNoRelabeling: fc.boolean(),
        ...(since('1.18.0') && { annotations }),
      },
      { requiredKeys: [] },
    );
    sections.backupPVC = fc.dictionary(classRef, settings, { maxKeys: 3 }).map((map) =>
      Object.fromEntries(
        Object.entries(map).map(([source, s]) => {
          // readOnly only where the storage can make a ReadOnlyMany volume from a snapshot
          const { readOnly, ...rest } = s as { readOnly?: boolean; storageClass?: string };
          const cannot = classOf(rest.storageClass || source)?.readOnlyFromSnapshot === false;
          return [source, readOnly === undefined || (readOnly && cannot) ? rest : { ...rest, readOnly }];
        }),
      ),
    );
    sections.podResources = fc
      .record(
        { cpu: requestAndLimit, memory: requestAndLimit, ...(since('1.18.1') && { ephemeralStorage: fc.option(requestAndLimit, { nil: undefined }) }) },
      )
      .map(({ cpu, memory, ephemeralStorage }) => ({
        cpuRequest: cpu[0],
        cpuLimit: cpu[1],
        memoryRequest: memory[0],
        memoryLimit: memory[1],
        ...(ephemeralStorage && { ephemeralStorageRequest: ephemeralStorage[0], ephemeralStorageLimit: ephemeralStorage[1] }),
      }));
  }
  if (since('1.16.0')) sections.restorePVC = fc.record({ ignoreDelayBinding: fc.boolean() }, { requiredKeys: [] });
  if (since('1.17.0')) sections.priorityClassName = dnsSubdomain;
  if (since('1.18.0')) {
    const deletable = inventory?.filter((sc) => sc.reclaimPolicy !== 'Retain').map((sc) => sc.name);
    sections.privilegedFsBackup = fc.boolean();
    // Velero ignores a cachePVC without a storageClass, so one is required: none when no class can hold it.
    if (deletable === undefined || deletable.length) {
      sections.cachePVC = fc.record(
        {
          storageClass: deletable === undefined ? dnsSubdomain : fc.constantFrom(...deletable),
          residentThresholdInMB: fc.integer({ min: 1, max: 1 << 20 }),
        },
        { requiredKeys: ['storageClass'] },
      );
    }
    sections.podLabels = labels;
    sections.podAnnotations = annotations;
  }
  return fc.record(sections, { requiredKeys: [] });
}

type Env = Record<string, any>;

const validEnvironment: fc.Arbitrary<Env> = fc.constantFrom(...VERSIONS).chain((version) =>
  fc.option(inventoryArb, { nil: undefined }).chain((inventory) =>
    fc
      .record(
        {
          platform: fc.constantFrom(...PLATFORM_NAMES),
          kubeletRootDir: fc.constantFrom('/data/kubelet', '/var/lib/custom/kubelet'),
          velero: veleroArb(version),
          nodeAgent: nodeAgentArb(version),
          config: configArb(version, inventory),
        },
        { requiredKeys: ['platform', 'velero'] },
      )
      .map((env): Env => (inventory ? { ...env, storageClasses: inventory } : env)),
  ),
);

// ---------------------------------------------------------------------------------------------
// (a) valid environments render.

describe('any valid environment renders', () => {
  test('no error; one node-agent DaemonSet with the velero install selector; the ConfigMap holds the config', () => {
    fc.assert(
      fc.property(validEnvironment, (env) => {
        const { findings, rendered } = synth(env);
        expect(errorsOf(findings)).toEqual([]);
        expect(rendered).toHaveLength(1);
        const files = rendered[0].files;
        const objects = [...files].filter(([name]) => name !== 'kustomization.yaml').map(([, text]) => parse(text));

        const daemonSets = objects.filter((o) => o.kind === 'DaemonSet');
        expect(daemonSets).toHaveLength(1);
        expect(daemonSets[0].metadata.name).toBe('node-agent');
        expect(daemonSets[0].spec.selector).toEqual({ matchLabels: { name: 'node-agent' } });

        // Velero's docs: on OpenShift from 1.17.1, fs-backup pods need privilegedFsBackup, which is rendered unless set.
        const openshiftDefault = env.platform.startsWith('openshift') && semver.gte(env.velero.version, '1.17.1') && env.config?.privilegedFsBackup === undefined;
        const expected = openshiftDefault ? { ...env.config, privilegedFsBackup: true } : env.config;
        const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
        if (expected === undefined) {
          expect(configMaps).toEqual([]);
        } else {
          expect(configMaps).toHaveLength(1);
          const values = Object.values(configMaps[0].data) as string[];
          expect(values).toHaveLength(1);
          expect(JSON.parse(values[0])).toEqual(expected);
        }
      }),
      { numRuns: 100 },
    );
  });

  test('rendering twice, from the same folder and from a copy, gives byte-identical files', () => {
    fc.assert(
      fc.property(validEnvironment, (env) => {
        const first = synth(env, 'first');
        const again = synth(env, 'first');
        const copy = synth(env, 'copy');
        expect(first.rendered).toHaveLength(1);
        const files = (r: SynthResult) => [...r.rendered[0].files];
        expect(files(again)).toEqual(files(first));
        expect(files(copy)).toEqual(files(first));
      }),
      { numRuns: 40 },
    );
  });

  // BUG (policies/kube.ts:15, compared at policies/rules/pod-resources.ts:44): quantities are parsed
  // into floats, so "700m" (700 * 1e-3 = 0.7000000000000001) is "above" a limit of "0.7" and the
  // section is rejected, while Kubernetes and Velero compare quantities exactly and accept it.
  test('a request equal to its limit in another notation is accepted, as Kubernetes compares quantities exactly', () => {
    const NOTATIONS = [['', 'm'], ['k', ''], ['M', 'k'], ['G', 'M']] as const;
    const sameAmount = fc
      .tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom(...NOTATIONS), fc.boolean())
      .map(([tenths, [big, small], flip]) => {
        const decimal = `${Math.floor(tenths / 10)}.${tenths % 10}${big}`;
        const whole = `${tenths * 100}${small}`;
        return flip ? [decimal, whole] : [whole, decimal];
      });
    fc.assert(
      fc.property(sameAmount, sameAmount, ([cpuRequest, cpuLimit], [memoryRequest, memoryLimit]) => {
        const { findings, rendered } = synth({ velero: { version: '1.18.1' }, config: { podResources: { cpuRequest, cpuLimit, memoryRequest, memoryLimit } } });
        expect(findings).toEqual([]);
        expect(rendered).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (b) mutations of a valid environment are rejected.

type Path = (string | number)[];
type SchemaNode = {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  items?: SchemaNode;
};

/** The environment file's layout, typed with the spec's own schemas (pipeline/environment.ts moves the same keys). */
const SPEC = NodeAgentSpecSchema.properties as unknown as Record<string, SchemaNode>;
const Environment: SchemaNode = {
  properties: {
    name: { type: 'string' },
    platform: SPEC.platform,
    kubeletRootDir: SPEC.kubeletRootDir,
    velero: {
      properties: Object.fromEntries(
        ['version', 'namespace', 'image', 'serviceAccountName', 'features', 'credentialsSecret', 'createNamespace'].map((k) => [k, SPEC[k]]),
      ),
    },
    nodeAgent: SPEC.nodeAgent,
    storageClasses: (Inventory.properties as unknown as Record<string, SchemaNode>).storageClasses,
    priorityClasses: (Inventory.properties as unknown as Record<string, SchemaNode>).priorityClasses,
    config: SPEC.config,
    policyExceptions: SPEC.policyExceptions,
  },
};

/** Every object the schema declares key by key (additionalProperties: false), with its allowed keys. */
function strictObjects(value: unknown, schema: SchemaNode = Environment, at: Path = []): { path: Path; allowed: string[]; present: string[] }[] {
  if (Array.isArray(value)) return schema.items ? value.flatMap((v, i) => strictObjects(v, schema.items!, [...at, i])) : [];
  if (typeof value !== 'object' || value === null) return [];
  const entries = Object.entries(value);
  if (schema.properties) {
    const here = { path: at, allowed: Object.keys(schema.properties), present: entries.map(([k]) => k) };
    return [here, ...entries.flatMap(([k, v]) => (schema.properties![k] ? strictObjects(v, schema.properties![k], [...at, k]) : []))];
  }
  const values = Object.values(schema.patternProperties ?? {})[0];
  return values ? entries.flatMap(([k, v]) => strictObjects(v, values, [...at, k])) : [];
}

/** Every scalar the schema types as exactly one of integer, boolean, string. */
function typedLeaves(value: unknown, schema: SchemaNode = Environment, at: Path = []): { path: Path; type: string }[] {
  if (Array.isArray(value)) return schema.items ? value.flatMap((v, i) => typedLeaves(v, schema.items!, [...at, i])) : [];
  if (typeof value === 'object' && value !== null) {
    const child = (k: string) => schema.properties?.[k] ?? Object.values(schema.patternProperties ?? {})[0];
    return Object.entries(value).flatMap(([k, v]) => (child(k) ? typedLeaves(v, child(k)!, [...at, k]) : []));
  }
  return typeof schema.type === 'string' && ['integer', 'boolean', 'string'].includes(schema.type) ? [{ path: at, type: schema.type }] : [];
}

const getAt = (root: any, p: Path) => p.reduce((node, k) => node[k], root);
const setAt = (root: any, p: Path, value: unknown) => {
  getAt(root, p.slice(0, -1))[p[p.length - 1]] = value;
};

/** Near misses of `key`: one character dropped, or two neighbours swapped. */
function nearMisses(key: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < key.length; i++) {
    out.add(key.slice(0, i) + key.slice(i + 1));
    if (i + 1 < key.length && key[i] !== key[i + 1]) out.add(key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2));
  }
  return [...out].filter((k) => k.length > 0 && k.toLowerCase() !== key.toLowerCase());
}

interface Mutated {
  readonly env: Env;
  /** The path that an error finding must have. */
  readonly path: string;
  /** A word the message must contain, when the finding names the key itself. */
  readonly word?: string;
  /** The rule that must report it, when one is expected. */
  readonly rule?: string;
  readonly description: string;
}

/** A key renamed by appending "x", or a near-miss key added, in an object at a random depth. */
const misspelledKey: fc.Arbitrary<Mutated> = validEnvironment.chain((env) => {
  const objects = strictObjects(env);
  return fc.tuple(fc.constantFrom(...objects), fc.boolean(), fc.nat(), fc.nat()).map(([target, rename, i, j]): Mutated => {
    const mutated = structuredClone(env);
    const object = getAt(mutated, target.path);
    let key: string;
    if (rename && target.present.length) {
      const old = target.present[i % target.present.length];
      key = `${old}x`;
      const entries = Object.entries(object).map(([k, v]) => [k === old ? key : k, v]);
      for (const k of Object.keys(object)) delete object[k];
      Object.assign(object, Object.fromEntries(entries));
    } else {
      const candidates = target.allowed.flatMap(nearMisses).filter((k) => !target.allowed.includes(k));
      key = candidates[j % candidates.length];
      object[key] = 'x';
    }
    return { env: mutated, path: fmt([...target.path, key]), word: `"${key}"`, description: `${rename ? 'renamed' : 'added'} ${fmt([...target.path, key])}` };
  });
});

/** A string where an integer or a boolean is expected, a number where a string is. */
const wrongType: fc.Arbitrary<Mutated> = validEnvironment.chain((env) =>
  fc.constantFrom(...typedLeaves(env)).map(({ path: p, type }): Mutated => {
    const mutated = structuredClone(env);
    const old = getAt(mutated, p);
    setAt(mutated, p, type === 'string' ? 42 : String(old));
    return { env: mutated, path: fmt(p), description: `${fmt(p)}: ${type} ${JSON.stringify(old)} -> ${JSON.stringify(getAt(mutated, p))}` };
  }),
);

/** globalConfig, a perNodeConfig number or prepareQueueLength of 0 or below. */
const outOfRange: fc.Arbitrary<Mutated> = validEnvironment.chain((env) => {
  const knobs = ['globalConfig', 'number', ...(semver.gte(env.velero.version, '1.17.0') ? ['prepareQueueLength'] : [])];
  return fc.tuple(fc.constantFrom(...knobs), fc.integer({ min: -1000, max: 0 }), fc.nat()).map(([knob, n, i]): Mutated => {
    const mutated = structuredClone(env);
    mutated.config ??= {};
    const lc = (mutated.config.loadConcurrency ??= {});
    let p: Path = ['config', 'loadConcurrency', knob];
    if (knob === 'number') {
      lc.perNodeConfig ??= [];
      if (lc.perNodeConfig.length === 0) lc.perNodeConfig.push({ nodeSelector: { matchLabels: { pool: 'backup' } }, number: 1 });
      const index = i % lc.perNodeConfig.length;
      lc.perNodeConfig[index].number = n;
      p = ['config', 'loadConcurrency', 'perNodeConfig', index, 'number'];
    } else {
      lc[knob] = n;
    }
    return { env: mutated, path: fmt(p), word: `${knob} is ${n}`, rule: 'load-concurrency-minimum', description: `${fmt(p)} = ${n}` };
  });
});

/** A Velero release outside 1.13.0..1.18.x, or a version that is not X.Y.Z. */
const unsupportedVersion: fc.Arbitrary<Mutated> = fc
  .tuple(validEnvironment, fc.constantFrom('1.12.0', '1.12.3', '1.19.0', '2.0.0', '0.9.1', '1.18', 'v1.18.1', '1.18.1-rc.1', '01.18.1', 'latest'))
  .map(([env, version]) => ({ env: { ...env, velero: { ...env.velero, version } }, path: 'velero.version', description: `version ${version}` }));

describe('any mutation of a valid environment is rejected with an error naming the key', () => {
  const rejected = (m: Mutated) => {
    const { findings, rendered } = synth(m.env);
    expect(rendered).toHaveLength(0);
    const named = errorsOf(findings).filter((f) => f.path === m.path && (!m.word || f.message.includes(m.word)) && (!m.rule || f.rule === m.rule));
    if (named.length === 0) {
      throw new Error(`${m.description}: no error at ${m.path}${m.word ? ` mentioning ${m.word}` : ''}${m.rule ? ` from ${m.rule}` : ''}; findings:\n${findings.map((f) => `  ${f.path}  ${f.rule}  ${f.message}`).join('\n')}`);
    }
    // placed in the environment file, at a real position
    expect(named[0].file).toMatch(/env\.yaml$/);
    expect(named[0].line).toBeGreaterThanOrEqual(1);
  };

  test('a misspelled key at any level (an "x" appended, or a near miss added): unknown key at its path', () => {
    fc.assert(fc.property(misspelledKey, rejected), { numRuns: NUM_RUNS });
  });

  test('a wrong type: a string for an integer or boolean, a number for a string', () => {
    fc.assert(fc.property(wrongType, rejected), { numRuns: NUM_RUNS });
  });

  test('an out-of-range number: globalConfig, perNodeConfig[].number, prepareQueueLength below 1', () => {
    fc.assert(fc.property(outOfRange, rejected), { numRuns: NUM_RUNS });
  });

  test('an unsupported or malformed velero.version', () => {
    fc.assert(fc.property(unsupportedVersion, rejected), { numRuns: NUM_RUNS });
  });

  // BUG (policies/versions.ts:12, called at policies/rules/configmap-name.ts:10): "01.18.1" passes the
  // schema (VERSION_PATTERN, policies/schema/environment.ts:24, allows leading zeros) but is not semver,
  // so semver.gte throws "TypeError: Invalid Version" and run-rules.ts:24 rethrows it: synthesize crashes.
  test('a version the schema pattern accepts but semver does not (01.18.1), with a configMapName: an error, not a crash', () => {
    for (const version of ['01.18.1', '1.018.1']) {
      rejected({ env: { velero: { version }, nodeAgent: { configMapName: 'my-node-agent-config' } }, path: 'velero.version', description: `version ${version}` });
    }
  });

  test('a near-miss key gets a hint naming an allowed key', () => {
    const nearMiss = validEnvironment.chain((env) =>
      fc.constantFrom(...strictObjects(env)).chain((target) => {
        const candidates = target.allowed.flatMap((k) => nearMisses(k).map((miss) => [miss, k] as const)).filter(([miss]) => !target.allowed.includes(miss));
        return fc.constantFrom(...candidates).map(([miss]) => ({ env, target, miss }));
      }),
    );
    fc.assert(
      fc.property(nearMiss, ({ env, target, miss }) => {
        const mutated = structuredClone(env);
        getAt(mutated, target.path)[miss] = 'x';
        const { findings } = synth(mutated);
        const finding = findings.find((f) => f.path === fmt([...target.path, miss]) && f.severity === 'error');
        expect(finding?.message).toBe(`unknown key "${miss}"`);
        const suggested = /did you mean "([^"]+)"\?/.exec(finding?.hint ?? '')?.[1];
        expect(target.allowed).toContain(suggested);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
