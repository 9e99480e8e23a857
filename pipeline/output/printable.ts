/**
 * Text from the output folder is hostile in a pull request: a file name or a line printed as
 * it is could move the cursor, recolour or rewrite the terminal (`\x1b[`, `\r`), or reorder what
 * is shown (bidirectional overrides), and so forge what CI prints. These escape such characters.
 */

// C0 controls, DEL and C1 controls, line/paragraph separators, bidirectional embeddings,
// overrides and isolates.
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_LINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text to print line by line: every unsafe character but `\n` and `\t` escaped as `\xNN` or `\uNNNN`. */
export function printableText(text: string): string {
  return text.replace(UNSAFE_BUT_LINES, escape);
}

/** A name to print on one line: every unsafe character escaped, `\n` and `\t` too. */
export function printableName(name: string): string {
  return name.replace(UNSAFE, escape);
}

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
