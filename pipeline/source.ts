import * as path from 'path';
import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { escapeText, formatPath, Problem } from '../policies/problem';
import { Finding } from './findings';
import { NumberNote, yamlData } from './yaml-data';

/** One parsed YAML input, kept with its positions so findings can name a line and column. */
export class SourceFile {
  /**
   * Decodes `bytes` as UTF-8, strictly: invalid UTF-8 is a finding at its line and column,
   * never a silent U+FFFD (Kubernetes and Go would read other text than the file shows).
   */
  static fromBytes(file: string, bytes: Uint8Array): SourceFile {
    try {
      return new SourceFile(file, new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      // The longest prefix that decodes (an incomplete sequence at its end allowed): the fault follows it.
      const decodes = (end: number) => {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
          return true;
        } catch {
          return false;
        }
      };
      let [good, bad] = [0, bytes.length];
      while (bad - good > 1) {
        const mid = Math.floor((good + bad) / 2);
        if (decodes(mid)) good = mid;
        else bad = mid;
      }
      const before = new TextDecoder('utf-8').decode(bytes.subarray(0, good), { stream: true });
      return new SourceFile(file, before, 'invalid UTF-8: Kubernetes and Velero would read other text than the file shows');
    }
  }

  readonly document: Document;
  /** The document as plain data (prototype-free maps), or undefined when it has syntax problems. */
  readonly data: unknown;
  /** Numbers written in a form JSON or Go would not read back as written, by JSON.stringify(path). */
  readonly numbers: ReadonlyMap<string, { readonly note: NumberNote; readonly source: string }>;
  private readonly syntax: Finding[];
  private readonly lines = new LineCounter();

  /**
   * @param file the path findings show, relative to the working directory where possible
   * @param invalidAt a reason the text ends early (invalid UTF-8): a finding at its end
   */
  constructor(
    readonly file: string,
    readonly text: string,
    invalidAt?: string,
  ) {
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const at = (offset: number, message: string, hint = 'fix the YAML syntax; nothing was rendered'): Finding => {
      const { line, col } = this.lines.linePos(offset);
      return { file: this.file, line, column: col, path: '', rule: 'yaml-syntax', severity: 'error', message, hint };
    };
    if (invalidAt) {
      this.syntax = [at(text.length, invalidAt, 'save the file as UTF-8; nothing was rendered')];
      this.data = undefined;
      this.numbers = new Map();
      return;
    }
    this.syntax = this.document.errors.map((e) => at(e.pos[0], e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')));
    const converted = this.syntax.length ? undefined : yamlData(this.document);
    this.syntax.push(...(converted?.problems ?? []).map((p) => at(p.offset, p.message)));
    this.data = this.syntax.length ? undefined : converted?.data;
    this.numbers = converted?.numbers ?? new Map();
  }

  syntaxFindings(): Finding[] {
    return this.syntax;
  }

  /** Position of `keyPath` (its key when `atKey`), or undefined when the file does not hold it. */
  position(keyPath: readonly (string | number)[], atKey = false): { line: number; column: number } | undefined {
    let node: unknown = this.document.contents;
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
    const { line, col } = this.lines.linePos(range[0]);
    return { line, column: col };
  }
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
