import { Rule } from './rule';

export const kubeletRootDir: Rule = {
  id: 'kubelet-root-dir',
  severity: 'error',
  summary: 'kubeletRootDir that is not an absolute, normalised folder other than "/": the host paths would not be the kubelet\'s pods and plugins folders.',
  check: ({ spec }) => {
    const dir = spec.kubeletRootDir;
    if (dir === undefined) return [];
    const segments = dir.split('/').slice(1);
    const problem = !dir.startsWith('/')
      ? 'is not an absolute path'
      : dir === '/'
        ? 'is the root folder'
        : segments.some((s) => s === '')
          ? 'has an empty segment (// or a trailing /)'
          : segments.some((s) => s === '.' || s === '..')
            ? 'has a . or .. segment'
            : undefined;
    return problem
      ? [{ path: ['kubeletRootDir'], message: `"${dir}" ${problem}`, hint: 'write the kubelet\'s --root-dir as an absolute path, such as /var/lib/kubelet' }]
      : [];
  },
};
