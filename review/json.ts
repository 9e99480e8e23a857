import type { Review } from './model';

/**
 * The review report for other tools: the same content as the Markdown, uncut and unescaped (JSON
 * escapes what it must), with the values as they are in the manifests. The shape is the Review
 * interface of model.ts.
 */
export function toJson(review: Review): string {
  return JSON.stringify(review, null, 2);
}
