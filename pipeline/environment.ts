import { Type } from '@sinclair/typebox';
import { Problem } from '../policies/problem';
import type { NodeAgentSpec } from '../policies/spec';
import { GitOps } from '../policies/schema/gitops';
import { DnsLabel } from '../policies/schema/keywords';
import { compiled, validateWith } from '../policies/validator';
import { HINT, Strict } from '../velero/schema';
import { isMap } from '../policies/data';

/**
 * The environment file is a thin layer over NodeAgentSpec (the VeleroNodeAgent construct's
 * props): the same settings, grouped as README "The environment file" documents, plus what only
 * a fleet of files needs (`name`, `extends`, `gitops`). This module validates that layer and maps it onto
 * the spec and back; the spec itself is validated by policies/ through the construct.
 */

const Any = Type.Unknown();

/** Where each spec field lives in the environment file, when not at the same path. */
const IN_FILE: Readonly<Record<string, readonly string[]>> = {
  version: ['velero', 'version'],
  namespace: ['velero', 'namespace'],
  image: ['velero', 'image'],
  serviceAccountName: ['velero', 'serviceAccountName'],
  features: ['velero', 'features'],
  credentialsSecret: ['velero', 'credentialsSecret'],
  createNamespace: ['velero', 'createNamespace'],
  inventory: [],
};

/** The file's own layer: the key names and what only files have; every value is the spec's to check. */
export const EnvironmentFile = Strict(
  {
    name: Type.Optional(DnsLabel),
    platform: Type.Optional(Any),
    kubeletRootDir: Type.Optional(Any),
    velero: Strict(
      {
        version: Any,
        namespace: Type.Optional(Any),
        image: Type.Optional(Any),
        serviceAccountName: Type.Optional(Any),
        features: Type.Optional(Any),
        credentialsSecret: Type.Optional(Any),
        createNamespace: Type.Optional(Any),
      },
      { [HINT]: 'an environment needs at least velero.version, such as "1.18.1"' },
    ),
    nodeAgent: Type.Optional(Any),
    storageClasses: Type.Optional(Any),
    priorityClasses: Type.Optional(Any),
    config: Type.Optional(Any),
    policyExceptions: Type.Optional(Any),
    gitops: Type.Optional(GitOps),
  },
  { [HINT]: 'see README "The environment file"' },
);

const fileValidator = compiled(EnvironmentFile);

/** Problems of the file's own layer (unknown keys, a `velero` that is not a map, a missing version). */
export function validateEnvironmentFile(data: unknown): Problem[] {
  return validateWith(fileValidator(), data);
}

/** The spec an environment file describes; fields it does not set are left out. */
export function specOf(data: Record<string, unknown>): NodeAgentSpec {
  const velero = isMap(data.velero) ? data.velero : {};
  const spec: Record<string, unknown> = Object.create(null);
  const set = (key: string, value: unknown) => {
    if (value !== undefined) spec[key] = value;
  };
  for (const [key, where] of Object.entries(IN_FILE)) if (where[0] === 'velero') set(key, velero[where[1]]);
  for (const key of ['platform', 'kubeletRootDir', 'nodeAgent', 'config', 'policyExceptions']) set(key, data[key]);
  if (data.storageClasses !== undefined || data.priorityClasses !== undefined) {
    const inventory: Record<string, unknown> = Object.create(null);
    if (data.storageClasses !== undefined) inventory.storageClasses = data.storageClasses;
    if (data.priorityClasses !== undefined) inventory.priorityClasses = data.priorityClasses;
    spec.inventory = inventory;
  }
  return spec as unknown as NodeAgentSpec;
}

/** Where a spec path is in the environment file (`version` -> `velero.version`, `inventory.storageClasses` -> `storageClasses`). */
export function filePath(specPath: readonly (string | number)[]): (string | number)[] {
  const [head, ...rest] = specPath;
  const moved = typeof head === 'string' && Object.prototype.hasOwnProperty.call(IN_FILE, head) ? IN_FILE[head] : undefined;
  return moved ? [...moved, ...rest] : [...specPath];
}

/**
 * The spec's problems as the file sees them: paths moved, and a missing `version`, which the
 * file's own layer reports as `velero.version`, left out.
 */
export function inFile(problems: readonly Problem[]): Problem[] {
  return problems
    .filter((p) => !(p.rule === 'schema' && p.path.length === 0 && p.message === 'missing required key "version"'))
    .map((p) => ({ ...p, path: filePath(p.path) }));
}

/** The spec path of a path in the environment file, or undefined for what only files have (`name`, `extends`, `gitops`). */
export function specPath(inFilePath: readonly (string | number)[]): (string | number)[] | undefined {
  const [head, ...rest] = inFilePath;
  if (head === 'name' || head === 'extends' || head === 'gitops') return undefined;
  if (head === 'storageClasses' || head === 'priorityClasses') return ['inventory', ...inFilePath];
  if (head === 'velero') {
    const [field, ...below] = rest;
    const found = Object.entries(IN_FILE).find(([, where]) => where[0] === 'velero' && where[1] === field);
    return found ? [found[0], ...below] : undefined;
  }
  return [...inFilePath];
}
