import { ANNOTATIONS_LIMIT_BYTES, annotationsSize, qualifiedNameProblem } from '../kube';
import { labelMapProblems } from './label-selector';
import { Rule, Violation } from './rule';

/** Annotation keys follow the label-key grammar; values are free, but all of them together are capped. */
function annotationProblems(path: (string | number)[], map: Readonly<Record<string, string>> | undefined, what: string): Violation[] {
  if (!map) return [];
  const found: Violation[] = Object.keys(map).flatMap((key) => {
    const problem = qualifiedNameProblem(key);
    return problem ? [{ path: [...path, key], atKey: true, message: `invalid annotation key "${key}": ${problem}` }] : [];
  });
  const size = annotationsSize(map);
  if (size > ANNOTATIONS_LIMIT_BYTES) {
    found.push({
      path,
      message: `${what} total ${size} bytes; the API server accepts at most ${ANNOTATIONS_LIMIT_BYTES} (256 KiB)`,
      hint: 'shorten or drop annotations',
    });
  }
  return found;
}

export const labelsAndAnnotations: Rule = {
  id: 'labels-and-annotations',
  severity: 'error',
  summary:
    'Pod labels and annotations (nodeAgent.podLabels/podAnnotations, config.podLabels/podAnnotations, backupPVC annotations) with keys or values the API server rejects, or annotations over 256 KiB: the DaemonSet, or the data-mover pods and backupPVCs, are refused.',
  check: ({ spec }) => [
    ...labelMapProblems(['nodeAgent', 'podLabels'], spec.nodeAgent?.podLabels),
    ...annotationProblems(['nodeAgent', 'podAnnotations'], spec.nodeAgent?.podAnnotations, 'the pod annotations'),
    ...labelMapProblems(['config', 'podLabels'], spec.config?.podLabels),
    ...annotationProblems(['config', 'podAnnotations'], spec.config?.podAnnotations, 'the data-mover pod annotations'),
    ...Object.entries(spec.config?.backupPVC ?? {}).flatMap(([source, settings]) =>
      annotationProblems(['config', 'backupPVC', source, 'annotations'], settings?.annotations, 'the backupPVC annotations'),
    ),
  ],
};
