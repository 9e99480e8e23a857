/** A key path into a document: strings are keys, numbers index lists. */
export type KeyPath = readonly (string | number)[];

/** `config.backupPVC["gp3.fast"].readOnly`, `nodeAgent.tolerations[0].key`. */
export function formatPath(path: KeyPath): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z0-9_-]+$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}
