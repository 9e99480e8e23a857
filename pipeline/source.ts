import * as path from 'path';
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, YAMLParseError } from 'yaml';
import { escapeText, formatPath, Problem } from '../policies/problem';
import { Finding } from './findings';
import { copyData } from '../policies/data';
import { NumberNote, yamlData } from './yaml-data';

/**
 * Deeper than this, the YAML parser's recursion nears the call stack's limit, where V8 may abort
 * the process rather than throw; nothing this project reads nests more than about fifteen levels.
 */
const MAX_YAML_DEPTH = 256;

/** One parsed YAML input, kept with its positions so findings can name a line and column. */
export class SourceFile {
  /** The document as plain data (prototype-free maps), or undefined when it has syntax problems. */
  readonly data: unknown;
  /** Numbers written in a form JSON or Go would not read back as written, by JSON.stringify(path). */
  readonly numbers: ReadonlyMap<string, { readonly note: NumberNote; readonly source: string }>;
  private readonly syntax: Finding[];
  private parsed?: { readonly document: Document; readonly lines: LineCounter };

  /**
   * @param file the path findings show, relative to the working directory where possible
   * @param read what another SourceFile of the same text read (its read()), given instead of parsing again
   */
  constructor(
    readonly file: string,
    readonly text: string,
    read?: SourceRead,
  ) {
    if (read) {
      this.data = copyData(read.data); // a structured clone gives its maps Object's prototype
      this.numbers = read.numbers;
      this.syntax = read.syntax;
      return;
    }
    const { document, lines } = this.parse();
    const at = (offset: number, message: string): Finding => {
      const { line, col } = lines.linePos(offset);
      return { file: this.file, line, column: col, path: '', rule: 'yaml-syntax', severity: 'error', message, hint: 'fix the YAML syntax; nothing was rendered' };
    };
    this.syntax = document.errors.map((e) => at(e.pos[0], e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')));
    const converted = this.syntax.length ? undefined : yamlData(document);
    this.syntax.push(...(converted?.problems ?? []).map((p) => at(p.offset, p.message)));
    this.data = this.syntax.length ? undefined : converted?.data;
    this.numbers = converted?.numbers ?? new Map();
  }

  /** What was read from the text, to hand to another thread (structured clone), which passes it to the constructor. */
  read(): SourceRead {
    return { data: this.data, numbers: this.numbers, syntax: this.syntax };
  }

  /** The parsed document, with its source positions; parsed again after release(). */
  get document(): Document {
    return this.parse().document;
  }

  /**
   * Lets the parsed document go, keeping the text and what was read from it: a fleet keeps its
   * environments' files to the end of a synth, but needs a document only to place a finding.
   */
  release(): void {
    this.parsed = undefined;
  }

  private parse(): { document: Document; lines: LineCounter } {
    if (this.parsed) return this.parsed;
    const lines = new LineCounter();
    let document: Document;
    const tooDeep = deepNesting(this.text, MAX_YAML_DEPTH);
    if (tooDeep !== undefined) {
      document = new Document(null);
      lines.addNewLine(0);
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
      document.errors.push(new YAMLParseError([tooDeep, tooDeep + 1], 'RESOURCE_EXHAUSTION', `the input nests deeper than ${MAX_YAML_DEPTH} levels here: not read`));
    } else {
      // The parser's own duplicate-key check (uniqueKeys) compares every pair of keys: a large flat
      // mapping takes minutes. The same check in linear time, with the parser's error:
      document = parseDocument(this.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
      document.errors.push(...duplicateKeys(document));
    }
    return (this.parsed = { document, lines });
  }

  syntaxFindings(): Finding[] {
    return this.syntax;
  }

  /** Position of `keyPath` (its key when `atKey`), or undefined when the file does not hold it. */
  position(keyPath: readonly (string | number)[], atKey = false): { line: number; column: number } | undefined {
    const { document, lines } = this.parse();
    let node: unknown = document.contents;
    let key: unknown = undefined;
    for (const segment of keyPath) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === String(segment));
        if (!pair) return undefined;
        key = pair.key;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(segment)];
        key = undefined;
        if (node === undefined) return undefined;
      } else {
        return undefined;
      }
    }
    const target = (atKey && key) || node || key;
    const range = (target as Node | undefined)?.range;
    if (!range) return keyPath.length === 0 ? { line: 1, column: 1 } : undefined;
    const { line, col } = lines.linePos(range[0]);
    return { line, column: col };
  }
}

/** What a SourceFile read from its text: everything but the document, which is parsed again when asked for. */
export interface SourceRead {
  readonly data: unknown;
  readonly numbers: ReadonlyMap<string, { readonly note: NumberNote; readonly source: string }>;
  readonly syntax: Finding[];
}

/**
 * Where `text` may nest deeper than `limit`, if it does: an upper bound of the YAML nesting at
 * each character, counting the open flow brackets (in quoted strings too, erring on the safe
 * side) plus the current line's indentation and `- `/`? ` indicators.
 */
function deepNesting(text: string, limit: number): number | undefined {
  let flow = 0;
  let block = 0;
  let inIndentation = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      block = 0;
      inIndentation = true;
      continue;
    }
    if (inIndentation) {
      if (c === ' ' || c === '\t' || ((c === '-' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t'))) {
        if (++block + flow > limit) return i;
        continue;
      }
      inIndentation = false;
    }
    if (c === '[' || c === '{') flow++;
    else if ((c === ']' || c === '}') && flow > 0) flow--;
    if (flow + block > limit) return i;
  }
  return undefined;
}

/** Each key that repeats a scalar key of its mapping; iterative, so deep nesting cannot overflow the stack. */
function duplicateKeys(document: Document): YAMLParseError[] {
  const errors: YAMLParseError[] = [];
  const pending: unknown[] = [document.contents];
  while (pending.length) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.range) {
          if (seen.has(pair.key.value)) errors.push(new YAMLParseError([pair.key.range[0], pair.key.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
          seen.add(pair.key.value);
        }
        pending.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      pending.push(...node.items.map((item) => (isPair(item) ? item.value : item)));
    }
  }
  return errors.sort((a, b) => a.pos[0] - b.pos[0]);
}

/** Displays paths relative to the working directory, as editors and CI annotations want them. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || relative === '' ? file : relative;
}

/**
 * Places a problem in the file that set the value: the last of `sources` (fragments first,
 * the environment last) holding the longest prefix of the problem's path.
 */
export function locate(problem: Problem, sources: readonly SourceFile[], shownPath = problem.path): Finding {
  const { path: keyPath, atKey, ...rest } = problem;
  for (let length = keyPath.length; length >= 0; length--) {
    for (let i = sources.length - 1; i >= 0; i--) {
      const at = sources[i].position(keyPath.slice(0, length), atKey && length === keyPath.length);
      if (at) return { file: sources[i].file, ...at, path: escapeText(formatPath(shownPath)), ...rest };
    }
  }
  return { file: sources[sources.length - 1].file, line: 1, column: 1, path: escapeText(formatPath(shownPath)), ...rest };
}
