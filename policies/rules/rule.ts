import { InstallContract, installContract } from '../../velero/daemonset';
import { PlatformProfile } from '../../velero/platforms';
import { contractRelease, Release } from '../../velero/releases';
import type { Severity } from '../problem';
import type { NodeAgentSpec, StorageClassInfo } from '../spec';

/** What a rule sees: the part of one spec that passed its schema. */
export interface RuleContext {
  readonly spec: NodeAgentSpec;
  /** The platform profile after `kubeletRootDir`; absent when linting a bare ConfigMap. */
  readonly platform?: PlatformProfile;
  /** The release whose contract applies, when the version is one (see velero/releases.ts). */
  readonly release?: Release;
  readonly contract?: InstallContract;
}

export function ruleContext(spec: NodeAgentSpec, platform: PlatformProfile | undefined): RuleContext {
  const release = contractRelease(spec.version);
  return { spec, platform, release, contract: release && installContract(release) };
}

/** The StorageClass inventory by name, or undefined when the spec gives none. */
export function storageClasses(spec: NodeAgentSpec): Map<string, StorageClassInfo> | undefined {
  const list = spec.inventory?.storageClasses;
  return list && new Map(list.map((sc) => [sc.name, sc]));
}

/** Each backupPVC entry with the StorageClass its backupPVC is created from. */
export function backupPVCs(spec: NodeAgentSpec) {
  return Object.entries(spec.config?.backupPVC ?? {}).map(([source, settings]) => ({
    source,
    settings,
    path: ['config', 'backupPVC', source] as (string | number)[],
    /** The class the backupPVC uses: its own storageClass, else the source PVC's. */
    storageClass: settings.storageClass || source,
  }));
}

/** `Object.hasOwn`: a key named `constructor` or `__proto__` is just a key. */
export const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** One thing a rule found, at a key path of the spec. */
export interface Violation {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
  /** Point at the key rather than its value. */
  readonly atKey?: boolean;
}

/** What the cluster must be described by for a rule to run (spec.inventory). */
export type InventoryNeed = 'storageClasses' | 'priorityClasses';

/** A semantic check. The README's rule table lists every rule's id, severity and summary. */
export interface Rule {
  /** Stable kebab-case id: waivers and CI annotations name it. */
  readonly id: string;
  readonly severity: Severity;
  /** What it catches and why, one sentence. */
  readonly summary: string;
  /**
   * The inventory the rule compares against. Without it the rule cannot run; when `applies`
   * says it had something to check, the run lists it as skipped.
   */
  readonly needs?: InventoryNeed;
  applies?(context: RuleContext): boolean;
  check(context: RuleContext): Violation[];
}
