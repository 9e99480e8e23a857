/** A problem with the output folder itself (not with an environment): printed as `error: <message>`, exit 1. */
export class OutputError extends Error {}
