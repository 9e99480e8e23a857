import { isPinnedImage, parseImage } from '../kube';
import { Rule } from './rule';

export const imagePinned: Rule = {
  id: 'image-pinned',
  severity: 'error',
  summary: 'velero.image not pinned by a version tag or a digest (no tag, latest, a branch name): every node may run a different build.',
  check: ({ env }) => {
    const image = env.velero.image;
    if (!image || isPinnedImage(image)) return [];
    const { tag } = parseImage(image);
    return [{
      path: ['velero', 'image'],
      message: tag ? `image tag "${tag}" is not a version` : `image "${image}" has no tag (it means latest)`,
      hint: `pin a version tag (…:v${env.velero.version}) or a digest (…@sha256:…)`,
    }];
  },
};
