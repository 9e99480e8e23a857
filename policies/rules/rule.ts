import type { PlatformProfile } from '../../constructs/platforms';
import type { Environment } from '../schema/environment';

export type Severity = 'error' | 'warning';

/** What a rule sees: one environment that passed its schema. */
export interface RuleContext {
  readonly env: Environment;
  /** The platform profile after `kubeletRootDir`; absent when linting a bare ConfigMap. */
  readonly platform?: PlatformProfile;
}

type StorageClass = NonNullable<Environment['storageClasses']>[number];

/** The environment's StorageClass inventory by name, or undefined when it gives none. */
export function inventory(env: Environment): Map<string, StorageClass> | undefined {
  return env.storageClasses && new Map(env.storageClasses.map((sc) => [sc.name, sc]));
}

/** Each backupPVC entry with the StorageClass its backupPVC is created from. */
export function backupPVCs(env: Environment) {
  return Object.entries(env.config?.backupPVC ?? {}).map(([source, settings]) => ({
    source,
    settings,
    path: ['config', 'backupPVC', source] as (string | number)[],
    /** The class the backupPVC uses: its own storageClass, else the source PVC's. */
    storageClass: settings.storageClass || source,
  }));
}

/** One thing a rule found, at a key path of the environment. */
export interface Violation {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
  /** Point at the key rather than its value. */
  readonly atKey?: boolean;
}

/** A semantic check. The README's rule table lists every rule's id, severity and summary. */
export interface Rule {
  /** Stable kebab-case id: waivers and CI annotations name it. */
  readonly id: string;
  readonly severity: Severity;
  /** What it catches and why, one sentence. */
  readonly summary: string;
  check(context: RuleContext): Violation[];
}
