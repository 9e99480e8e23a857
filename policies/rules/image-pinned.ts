import { parseImage } from '../kube';
import { Rule } from './rule';

/** A tag that names a release: v1.18.1, 1.18.1, v1.18.1-rc.1, ... */
const VERSION_TAG = /^v?[0-9]+(\.[0-9]+)*([-+.][A-Za-z0-9.-]+)?$/;

export const imagePinned: Rule = {
  id: 'image-pinned',
  severity: 'error',
  summary: 'velero.image not pinned by a version tag or a digest (no tag, latest, a branch name): every node may run a different build.',
  check: ({ env }) => {
    const image = env.velero.image;
    if (!image) return [];
    const { tag, digest } = parseImage(image);
    if (digest && /^sha256:[a-f0-9]{64}$/.test(digest)) return [];
    if (tag && VERSION_TAG.test(tag)) return [];
    return [{
      path: ['velero', 'image'],
      message: tag ? `image tag "${tag}" is not a version` : `image "${image}" has no tag (it means latest)`,
      hint: `pin a version tag (…:v${env.velero.version}) or a digest (…@sha256:…)`,
    }];
  },
};
