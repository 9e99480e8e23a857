/**
 * The syntax check Go's json.Unmarshal runs before it decodes anything (encoding/json
 * scanner.go, `checkValid`): strict RFC 8259, one value, nesting at most 10000 levels.
 * Messages are Go's own ("invalid character '}' looking for beginning of object key string"),
 * which is what node-agent logs, with a plain-words note for the usual slips.
 * It is a loop over the characters with an explicit stack, so no input can overflow the call stack.
 */

/** Go's scanner refuses deeper nesting (scanner.go maxNestingDepth). */
const GO_MAX_DEPTH = 10000;

export interface SyntaxFault {
  /** Index into the text of the offending character (the text's length at its end). */
  readonly offset: number;
  readonly message: string;
}

export interface SyntaxCheck {
  readonly fault?: SyntaxFault;
  /** Where the nesting first went deeper than the `depthLimit` asked for, if it did. */
  readonly tooDeepAt?: number;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);

/** Go's quoteChar: the character as Go prints it in a syntax error. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const code = c.charCodeAt(0);
  const named: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
  if (named[c]) return `'${named[c]}'`;
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  if (code === 0xfeff) return `'\\ufeff'`;
  return `'${c}'`;
}

class Fault extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Checks `text` as Go's json.Unmarshal does; also notes where it nests deeper than `depthLimit`. */
export function checkGoJsonSyntax(text: string, depthLimit: number): SyntaxCheck {
  let i = 0;
  let tooDeepAt: number | undefined;
  /** Open containers: '{' or '['. */
  const stack: string[] = [];
  /** Index of the last comma read, to name a trailing comma as such. */
  let lastComma = -1;

  const fail = (context: string, note?: string): never => {
    if (i >= text.length) throw new Fault(text.length, 'unexpected end of JSON input');
    const c = String.fromCodePoint(text.codePointAt(i)!);
    if ((c === '}' || c === ']') && lastComma >= 0 && /^\s*$/.test(text.slice(lastComma + 1, i))) {
      throw new Fault(lastComma, `trailing comma before '${c}': JSON allows none (Go: invalid character '${c}' ${context})`);
    }
    const message = `invalid character ${quoteChar(c)} ${context}`;
    const plain = note ?? slipNote(c, text[i - 1]);
    throw new Fault(i, plain ? `${message}: ${plain}` : message);
  };
  const skipSpace = () => {
    while (i < text.length && WHITESPACE.has(text[i])) i++;
  };

  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('in string literal');
      const c = text[i];
      if (c === '"') return void i++;
      if (c < ' ') fail('in string literal', c === '\t' ? 'write a tab as \\t' : 'write control characters as \\u escapes');
      if (c === '\\') {
        i++;
        if (i >= text.length) fail('in string escape code');
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= text.length || !isHex(text[i])) fail('in \\u hexadecimal character escape');
          }
        } else if (!ESCAPES.has(text[i])) {
          fail('in string escape code');
        }
      }
      i++;
    }
  };

  const number = () => {
    if (text[i] === '-') {
      i++;
      if (i >= text.length || !isDigit(text[i])) fail('in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (i < text.length && isDigit(text[i])) i++;
    if (text[i] === '.') {
      i++;
      if (i >= text.length || !isDigit(text[i])) fail('after decimal point in numeric literal');
      while (i < text.length && isDigit(text[i])) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= text.length || !isDigit(text[i])) fail('in exponent of numeric literal');
      while (i < text.length && isDigit(text[i])) i++;
    }
  };

  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) {
      if (text[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
  };

  /** Reads one value; returns true when it opened a container (its members follow). */
  const value = (context = 'looking for beginning of value'): boolean => {
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      if (stack.length > GO_MAX_DEPTH) fail('exceeded max depth');
      if (stack.length > depthLimit && tooDeepAt === undefined) tooDeepAt = i;
      i++;
      return true;
    }
    if (c === '"') string();
    else if (c === '-' || isDigit(c ?? '')) number();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else fail(context);
    return false;
  };

  try {
    let open = value();
    // Each turn: just after a value or an opening bracket, inside the innermost container.
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      skipSpace();
      const close = top === '{' ? '}' : ']';
      if (open && text[i] === close) {
        stack.pop();
        i++;
        open = false;
        continue;
      }
      if (!open) {
        if (text[i] === close) {
          stack.pop();
          i++;
          continue;
        }
        if (text[i] !== ',') fail(top === '{' ? 'after object key:value pair' : 'after array element');
        lastComma = i++;
        skipSpace();
      }
      if (top === '{') {
        if (text[i] !== '"') fail('looking for beginning of object key string');
        string();
        skipSpace();
        if (text[i] !== ':') fail('after object key');
        i++;
      }
      open = value();
      lastComma = -1;
    }
    skipSpace();
    if (i < text.length) fail('after top-level value');
  } catch (e) {
    if (!(e instanceof Fault)) throw e;
    return { fault: { offset: e.offset, message: e.message }, tooDeepAt };
  }
  return { tooDeepAt };
}

/** What the usual non-JSON habits need said in plain words; `previous` is the character before `c`. */
function slipNote(c: string, previous: string | undefined): string | undefined {
  if (isDigit(c) && previous === '0') return 'JSON numbers have no leading zeros';
  if (c === "'") return 'JSON strings take double quotes';
  if (c === '/' || c === '#') return 'JSON has no comments';
  if (c === '\ufeff') return 'remove the byte order mark';
  if (c === 'N' || c === 'I') return 'NaN and Infinity are not JSON numbers';
  return undefined;
}
