import { configMapName } from './configmap-name';
import { reservedPodLabels } from './reserved-pod-labels';
import { Rule } from './rule';
import { supportedVersion } from './supported-version';

/** Every semantic rule, run in this order on each environment that passed its schema. */
export const RULES: readonly Rule[] = [supportedVersion, configMapName, reservedPodLabels];
