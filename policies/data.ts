/** Whether a value read from YAML or JSON is a map (not null, not a list): the one test every reader of such data needs. */
export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A deep copy of YAML or JSON data, its maps prototype-free (as the readers make them: `__proto__` is an ordinary key). */
export function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (!isMap(value)) return value;
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) copy[key] = copyData(value[key]);
  return copy;
}
