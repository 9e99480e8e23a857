/** Whether a value read from YAML or JSON is a map (not null, not a list): the one test every reader of such data needs. */
export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
