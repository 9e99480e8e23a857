/**
 * A starting environment file from a live node-agent: every setting the environment file models,
 * read off the DaemonSet and its ConfigMap; then the file is rendered and compared with the same
 * live objects, and each difference left (what the file cannot model, and this tool's own
 * differences from velero install) becomes a warning that says what the first sync will do.
 */
import { App, Chart } from 'cdk8s';
import { Document } from 'yaml';
import { VeleroNodeAgent } from '../constructs/velero-node-agent';
import { specOf } from '../pipeline/environment';
import { renderChart } from '../pipeline/render';
import { decodeGoJson } from '../policies/go-json';
import { compareQuantities, isQuantity, parseQuantity } from '../policies/kube';
import { escapeText, formatPath } from '../policies/problem';
import { CONFIG_HASH_ANNOTATION } from '../constructs/node-agent-daemonset';
import {
  CREDENTIALS_VOLUME, DAEMONSET_NAME, defaultImage, HOST_PLUGINS_VOLUME, HOST_PODS_VOLUME, installContract, LEGACY_CONFIGMAP_NAME,
  RESERVED_ENV, WINDOWS_DAEMONSET_NAME,
} from '../velero/daemonset';
import { NodeAgentConfig } from '../velero/node-agent-config';
import { PLATFORM_NAMES, PlatformName, PLATFORMS, resolvePlatform } from '../velero/platforms';
import { DURATION_FLAGS, LOG_FORMATS, LOG_LEVELS, parseGoDuration } from '../velero/server-flags';
import { contractRelease, RELEASES_TEXT } from '../velero/releases';
import { parseImage } from '../policies/kube';
import { configMapRead, containerArgs, nodeAgentContainer, parseArgs } from './args';
import { Change, Json } from './compare';
import { isMap } from '../policies/data';
import { isEqual } from '../review/json-diff';
import { changeBody, isHelmLabel, isHelmManaged } from './describe';
import { describeObject, DumpError, findLive, LiveDump, LiveObject, nodeAgentDaemonSets } from './dump';
import { ObjectPlan, planTakeover } from './plan';

export interface Imported {
  /** The environment file's data, keys in the order they are written. */
  readonly environment: Json;
  /** The environment file: a comment naming where it came from, then the YAML. */
  readonly yaml: string;
  /** One line each: what the file does not model, and what the first sync does about it. */
  readonly warnings: readonly string[];
}

/** A warning about one field: `DaemonSet velero/node-agent: <path>: <what>: <what the render does>`. */
interface Note {
  readonly object: string;
  readonly path: readonly (string | number)[];
  readonly text: string;
}

const OS_LABEL = 'kubernetes.io/os';
/** Annotations this import leaves out of podAnnotations: what kubectl and this tool write themselves. */
const TOOL_POD_ANNOTATIONS: Readonly<Record<string, string>> = {
  [CONFIG_HASH_ANNOTATION]: "this tool's own hash, computed from the config",
  'kubectl.kubernetes.io/restartedAt': 'written by kubectl rollout restart',
};

/** nodeAgent's keys in the order README "The environment file" lists them. */
const NODE_AGENT_KEYS = [
  'privileged', 'configMapName', 'resources', 'tolerations', 'nodeSelector', 'priorityClassName', 'podLabels', 'podAnnotations', 'logLevel',
  'logFormat', 'dataMoverPrepareTimeout', 'resourceTimeout', 'backupRepositoryConfigMap', 'disableHostPath', 'windows', 'imagePullSecrets', 'env',
  'readOnlyRootFilesystem',
];
const TOLERATION_KEYS = ['key', 'operator', 'value', 'effect', 'tolerationSeconds'];

/** `map` with `order`'s keys first, in that order, then any other. */
const inOrder = (map: Json, order: readonly string[]): Json =>
  Object.fromEntries([...order.filter((k) => k in map), ...Object.keys(map).filter((k) => !order.includes(k))].map((k) => [k, map[k]]));

/** The environment file for the node-agent of `dump`; `name` sets `name:`. Throws DumpError when the dump cannot be read as one. */
export function importEnvironment(dump: LiveDump, name?: string): Imported {
  const daemonSets = nodeAgentDaemonSets(dump);
  if (daemonSets.length > 1) {
    const namespaces = daemonSets.map((d) => d.metadata.namespace ?? '(none)').join(', ');
    throw new DumpError(`${dump.file}: a node-agent DaemonSet in each of ${namespaces}: dump one namespace (kubectl get ds,cm -n <namespace> -o yaml)`);
  }
  const daemonSet = daemonSets[0];
  const notes: Note[] = [];
  const environment = mapDaemonSet(dump, daemonSet, notes);
  const ordered: Json = name !== undefined ? { name, ...without(environment, 'name') } : environment;
  const warnings = [...notes.map(noteLine), ...verify(ordered, dump, daemonSet, notes)];
  return { environment: ordered, yaml: toYaml(ordered, dump, daemonSet), warnings };
}

const without = (o: Json, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
const noteLine = (n: Note) => `${n.object}: ${formatPath(n.path)}: ${n.text}`;

/** The version a live image names: its tag, `v` and all, when the tag is a release this tool knows. */
function versionOf(image: string, file: string): string {
  const { tag } = parseImage(image);
  const version = /^v?([0-9]+\.[0-9]+\.[0-9]+)$/.exec(tag ?? '')?.[1];
  if (!version) throw new DumpError(`${file}: cannot tell the Velero version from node-agent's image ${image}: its tag is not a release such as v1.18.1`);
  if (!contractRelease(version)) throw new DumpError(`${file}: node-agent runs Velero ${version}; this tool renders ${RELEASES_TEXT}`);
  return version;
}

function mapDaemonSet(dump: LiveDump, daemonSet: LiveObject, notes: Note[]): Json {
  const object = describeObject(daemonSet);
  const pod = podSpec(daemonSet);
  const container = nodeAgentContainer(daemonSet);
  if (!container || typeof container.image !== 'string') throw new DumpError(`${dump.file}: ${object} has no container with an image`);
  const containerIndex = (pod.containers as Json[]).indexOf(container);
  const at = (...path: (string | number)[]) => ['spec', 'template', 'spec', 'containers', containerIndex, ...path];
  const version = versionOf(container.image, dump.file);
  const release = contractRelease(version)!;
  const contract = installContract(release);
  const namespace = daemonSet.metadata.namespace ?? 'velero';

  const volumes = (Array.isArray(pod.volumes) ? pod.volumes : []).filter(isMap);
  const hostPath = (volume: string) => {
    const found = volumes.find((v) => v.name === volume);
    return found && isMap(found.hostPath) && typeof found.hostPath.path === 'string' ? found.hostPath.path : undefined;
  };
  const pods = hostPath(HOST_PODS_VOLUME);
  const plugins = hostPath(HOST_PLUGINS_VOLUME);
  const where = placement(pods, plugins);

  const args = parseArgs(containerArgs(container));
  const flag = (name: Parameters<typeof args.flags.get>[0]) => args.flags.get(name);
  for (const other of args.others) notes.push({ object, path: at('args'), text: `${other}: not modelled; the render leaves it out (the args are replaced whole), so node-agent runs without it` });

  const velero: Json = { version };
  if (namespace !== 'velero') velero.namespace = namespace;
  if (container.image !== defaultImage(version)) velero.image = container.image;
  const serviceAccount = typeof pod.serviceAccountName === 'string' ? pod.serviceAccountName : 'default';
  if (serviceAccount !== 'velero') velero.serviceAccountName = serviceAccount;
  const features = flag('features')?.split(',').filter((f) => f !== '');
  if (features?.length) velero.features = features;
  const credentials = volumes.find((v) => v.name === CREDENTIALS_VOLUME);
  if (credentials && isMap(credentials.secret) && typeof credentials.secret.secretName === 'string') velero.credentialsSecret = credentials.secret.secretName;

  const nodeAgent: Json = {};
  const hostPaths = pods !== undefined;
  if (!hostPaths) {
    if (contract.disableHostPath) nodeAgent.disableHostPath = true;
    else notes.push({ object, path: ['spec', 'template', 'spec', 'volumes'], text: `no ${HOST_PODS_VOLUME} volume: Velero ${version} has no data-mover-only mode (1.17+), so the render mounts the host paths` });
  }
  const securityContext = isMap(container.securityContext) ? container.securityContext : {};
  const privileged = securityContext.privileged === true;
  if (privileged !== (hostPaths && resolvePlatform(where.platform).privileged)) nodeAgent.privileged = privileged;
  if (securityContext.readOnlyRootFilesystem === true) nodeAgent.readOnlyRootFilesystem = true;

  const configMapName = configMapRead(args, version);
  const resources = resourcesOf(container, contract.defaultResources);
  if (resources) nodeAgent.resources = resources;
  if (Array.isArray(pod.tolerations) && pod.tolerations.length) {
    nodeAgent.tolerations = pod.tolerations.map((t) => (isMap(t) ? inOrder(t, TOLERATION_KEYS) : t));
  }
  const nodeSelector = isMap(pod.nodeSelector) ? without(pod.nodeSelector, OS_LABEL) : {};
  if (Object.keys(nodeSelector).length) nodeAgent.nodeSelector = nodeSelector;
  if (typeof pod.priorityClassName === 'string') nodeAgent.priorityClassName = pod.priorityClassName;

  const helm = isHelmManaged(daemonSet);
  const template = isMap(daemonSet.spec) && isMap(daemonSet.spec.template) && isMap(daemonSet.spec.template.metadata) ? daemonSet.spec.template.metadata : {};
  const reserved = contract.podLabels(DAEMONSET_NAME);
  const podLabels = Object.fromEntries(Object.entries(isMap(template.labels) ? template.labels : {}).filter(([k]) => !(k in reserved) && !(helm && isHelmLabel(k))));
  if (Object.keys(podLabels).length) nodeAgent.podLabels = podLabels;
  const podAnnotations = Object.fromEntries(Object.entries(isMap(template.annotations) ? template.annotations : {})
    .filter(([k]) => !(k in TOOL_POD_ANNOTATIONS) && !(helm && k === 'checksum/secret')));
  if (Object.keys(podAnnotations).length) nodeAgent.podAnnotations = podAnnotations;

  if (configMapName && configMapName !== LEGACY_CONFIGMAP_NAME) nodeAgent.configMapName = configMapName;
  const backupRepository = flag('backup-repository-configmap');
  if (backupRepository !== undefined && contract.backupRepositoryConfigMapFlag) nodeAgent.backupRepositoryConfigMap = backupRepository;
  const choice = (setting: string, value: string | undefined, allowed: readonly string[], argument: string) => {
    if (value === undefined) return;
    if (allowed.includes(value)) nodeAgent[setting] = value;
    else notes.push({ object, path: at('args'), text: `${argument}=${value}: node-agent accepts ${allowed.join(', ')}; not imported, so the render leaves it out` });
  };
  choice('logLevel', flag('log-level'), LOG_LEVELS, '--log-level');
  choice('logFormat', flag('log-format'), LOG_FORMATS, '--log-format');
  for (const [setting, { flag: argument }] of Object.entries(DURATION_FLAGS)) {
    const value = flag(argument.slice(2) as 'resource-timeout');
    if (value === undefined) continue;
    const parsed = parseGoDuration(value);
    if ('nanoseconds' in parsed && parsed.nanoseconds > 0n) nodeAgent[setting] = value;
    else notes.push({ object, path: at('args'), text: `${argument}=${value}: not a positive Go duration; not imported, so the render leaves it out` });
  }
  const pullSecrets = (Array.isArray(pod.imagePullSecrets) ? pod.imagePullSecrets : []).filter(isMap).map((s) => s.name).filter((n): n is string => typeof n === 'string');
  if (pullSecrets.length) nodeAgent.imagePullSecrets = pullSecrets;
  const env = (Array.isArray(container.env) ? container.env : []).filter(isMap)
    .filter((e) => typeof e.name === 'string' && !(RESERVED_ENV as readonly string[]).includes(e.name) && typeof e.value === 'string' && e.valueFrom === undefined)
    .map((e) => ({ name: e.name, value: e.value }));
  if (env.length) nodeAgent.env = env;

  if (findLive(dump, 'DaemonSet', WINDOWS_DAEMONSET_NAME, daemonSet.metadata.namespace)) {
    if (contract.windows) nodeAgent.windows = true;
    else notes.push({ object: `DaemonSet ${namespace}/${WINDOWS_DAEMONSET_NAME}`, path: [], text: `Velero ${version} has no node-agent-windows (1.16+): not imported, the sync leaves it as it is` });
  }

  const config = configMapName ? configOf(dump, namespace, configMapName, version, notes) : undefined;
  if (config === undefined) delete nodeAgent.configMapName;
  return {
    platform: where.platform,
    ...(where.kubeletRootDir && { kubeletRootDir: where.kubeletRootDir }),
    velero,
    ...(Object.keys(nodeAgent).length && { nodeAgent: inOrder(nodeAgent, NODE_AGENT_KEYS) }),
    ...(config !== undefined && { config }),
  };
}

function podSpec(daemonSet: LiveObject): Json {
  const spec = isMap(daemonSet.spec) && isMap(daemonSet.spec.template) && isMap(daemonSet.spec.template.spec) ? daemonSet.spec.template.spec : {};
  return { ...spec, containers: Array.isArray(spec.containers) ? spec.containers : [] };
}

/**
 * The platform whose host paths the live ones are (the first in PLATFORMS order, so `kubernetes`
 * for the default paths), else the kubelet root both paths are under, else the platform whose
 * pods path it is.
 */
function placement(pods?: string, plugins?: string): { platform: PlatformName; kubeletRootDir?: string } {
  if (pods === undefined) return { platform: 'kubernetes' };
  const both = PLATFORM_NAMES.find((p) => PLATFORMS[p].hostPodsPath === pods && PLATFORMS[p].hostPluginsPath === plugins);
  if (both) return { platform: both };
  const root = pods.endsWith('/pods') ? pods.slice(0, -'/pods'.length) : undefined;
  if (root && (plugins === undefined || plugins === `${root}/plugins`)) return { platform: 'kubernetes', kubeletRootDir: root };
  return { platform: PLATFORM_NAMES.find((p) => PLATFORMS[p].hostPodsPath === pods) ?? 'kubernetes', ...(!PLATFORM_NAMES.some((p) => PLATFORMS[p].hostPodsPath === pods) && root && { kubeletRootDir: root }) };
}

/** Requests and limits where they are not what velero install renders for the release. */
function resourcesOf(container: Json, installed?: { requests: Readonly<Record<string, string>>; limits: Readonly<Record<string, string>> }): Json | undefined {
  const live = isMap(container.resources) ? container.resources : {};
  const part = (key: 'requests' | 'limits') => (isMap(live[key]) && Object.keys(live[key] as Json).length ? (live[key] as Json) : undefined);
  const requests = part('requests');
  const limits = part('limits');
  const equal = (a: Json | undefined, b: Readonly<Record<string, string>> | undefined) => {
    const x = a ?? {};
    const y = b ?? {};
    return Object.keys(x).length === Object.keys(y).length && Object.keys(x).every((k) => {
      const [p, q] = [parseQuantity(String(x[k])), parseQuantity(String(y[k] ?? ''))];
      return isQuantity(p) && isQuantity(q) && compareQuantities(p, q) === 0;
    });
  };
  if (equal(requests, installed?.requests) && equal(limits, installed?.limits)) return undefined;
  return { ...(requests && { requests }), ...(limits && { limits }) };
}

/** The ConfigMap's JSON as node-agent's Go decoder reads it, as plain data; undefined (with a note) when it cannot be imported. */
function configOf(dump: LiveDump, namespace: string, name: string, version: string, notes: Note[]): Json | undefined {
  const object = `ConfigMap ${namespace}/${name}`;
  const configMap = findLive(dump, 'ConfigMap', name, namespace);
  if (!configMap) {
    notes.push({ object, path: [], text: `node-agent reads it, but it is not in ${dump.file}: config not imported (add it: kubectl get cm ${name} -n ${namespace} -o yaml), so the render gives node-agent no ConfigMap` });
    return undefined;
  }
  const data = isMap(configMap.data) ? configMap.data : {};
  const keys = Object.keys(data);
  if (keys.length !== 1 || typeof data[keys[0]] !== 'string') {
    notes.push({ object, path: ['data'], text: `${keys.length} data keys: node-agent reads exactly one; config not imported` });
    return undefined;
  }
  const decoded = decodeGoJson(data[keys[0]] as string, NodeAgentConfig, { veleroVersion: version });
  const error = decoded.problems.find((p) => p.severity === 'error' && (p.rule === 'json-syntax' || p.rule === 'go-decode' || p.rule === 'nesting-depth'));
  if (decoded.value === undefined || error) {
    notes.push({ object, path: ['data', keys[0]], text: `json.Unmarshal fails (${error?.message ?? 'not JSON'}): config not imported` });
    return undefined;
  }
  const plain = plainData(decoded.value);
  if (plain === undefined) {
    notes.push({ object, path: ['data', keys[0]], text: 'an integer beyond 2^53, which an environment file cannot hold exactly: config not imported' });
    return undefined;
  }
  return plain as Json;
}

/** Go's decoded value as YAML-ready data: maps with sorted keys, ints as numbers; undefined when an int is not exact as a number. */
function plainData(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
  if (Array.isArray(value)) {
    const items = value.map(plainData);
    return items.some((v) => v === undefined) ? undefined : items;
  }
  if (!isMap(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value).sort()) {
    const v = plainData(value[key]);
    if (v === undefined) return undefined;
    out[key] = v;
  }
  return out;
}

/**
 * Renders the environment and compares it with the dump: every difference is a warning, except
 * those a note already explains (the args list, when it differs only by the arguments noted).
 */
function verify(environment: Json, dump: LiveDump, daemonSet: LiveObject, notes: readonly Note[]): string[] {
  const name = typeof environment.name === 'string' ? environment.name : 'imported';
  const chart = new Chart(new App(), name, { disableResourceNameHashes: true });
  const agent = new VeleroNodeAgent(chart, 'node-agent', specOf(environment));
  const errors = agent.problems.filter((p) => p.severity === 'error');
  if (errors.length || !agent.daemonSet) {
    throw new DumpError(`${dump.file}: the imported environment does not validate: ${errors.map((p) => `${formatPath(p.path)}: ${p.message}`).join('; ')}`);
  }
  const rendered = renderChart(name, chart, [dump.file], String((environment.velero as Json).version));
  const plan = planTakeover(rendered, dump);
  // The args list differs by the arguments noted one by one: no need to say it again.
  const { modelled } = parseArgs(containerArgs(nodeAgentContainer(daemonSet)));
  const explained = (object: ObjectPlan, change: Change) =>
    object.kind === 'DaemonSet' && object.name === DAEMONSET_NAME && change.kind === 'changed' && change.path[change.path.length - 1] === 'args' && isEqual(modelled, change.to);
  const lines: string[] = [];
  for (const object of plan.objects) {
    const where = `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
    if (object.action === 'create') lines.push(`${where}: not live: the sync creates it`);
    for (const change of object.changes) {
      if (explained(object, change)) continue;
      lines.push(`${where}: ${changeBody(change, object.helm)}: ${VERDICT[change.kind]}`);
    }
    for (const note of object.notes) if (!notes.some((n) => n.object === where && n.path.length === 0)) lines.push(`${where}: ${note}`);
  }
  lines.push(...plan.applyFails);
  for (const restart of plan.restarts) if (restart.restarts) lines.push(`${restart.message.replace(/:$/, '')} on the first sync`);
  return lines;
}

const VERDICT: Readonly<Record<Change['kind'], string>> = {
  changed: 'the render changes it',
  added: 'the render adds it',
  removed: 'the first sync removes it',
  stays: 'not modelled: the render does not set it, so it stays on the live object',
  reordered: 'the render reorders them',
};

/** The file: a comment naming its source, then the settings. */
function toYaml(environment: Json, dump: LiveDump, daemonSet: LiveObject): string {
  const document = new Document(environment);
  const source = escapeText(`${describeObject(daemonSet)} in ${dump.file}`);
  document.commentBefore = ` Imported by velero-node-agent import from ${source}.\n Review it, then run plan --live against the same dump before the first sync.`;
  return document.toString({ lineWidth: 0 });
}
