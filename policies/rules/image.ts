import { defaultImage } from '../../velero/daemonset';
import { isPinnedImage, parseImage } from '../kube';
import { Rule } from './rule';

export const imagePinned: Rule = {
  id: 'image-pinned',
  severity: 'error',
  summary: 'image not pinned by a version tag or a digest (no tag, latest, a branch name): every node may run a different build.',
  check: ({ spec }) => {
    const image = spec.image;
    if (!image || isPinnedImage(image)) return [];
    const { tag } = parseImage(image);
    return [{
      path: ['image'],
      message: tag ? `image tag "${tag}" is not a version` : `image "${image}" has no tag (it means latest)`,
      hint: `pin a version tag (…:v${spec.version}) or a digest (…@sha256:…)`,
    }];
  },
};

export const imageVersion: Rule = {
  id: 'image-version',
  severity: 'warning',
  summary: 'image tag that names another Velero version than version: the DaemonSet and ConfigMap are checked against one release and run by another.',
  check: ({ spec }) => {
    const tag = spec.image && parseImage(spec.image).tag;
    const named = tag && /^v?(\d+\.\d+\.\d+)$/.exec(tag)?.[1];
    return named && named !== spec.version
      ? [{
          path: ['image'],
          message: `the image tag names Velero ${named}, but version is ${spec.version}`,
          hint: `set version to ${named}, or use the image of ${spec.version} (${defaultImage(spec.version).split('/').pop()})`,
        }]
      : [];
  },
};
