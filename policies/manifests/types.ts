/** A problem in a rendered object, at a path inside it. */
export interface ManifestViolation {
  readonly path: readonly (string | number)[];
  readonly message: string;
}
