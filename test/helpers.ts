import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { main } from '../cli';
import { Finding } from '../pipeline/findings';
import { synthesize } from '../pipeline/synth';

/** The compiled command, as `velero-node-agent` and the npm scripts run it (npm test builds it first). */
export const BIN = path.resolve(__dirname, '..', 'lib', 'main.js');

const created: string[] = [];
afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A new temporary folder, removed after the test file. */
export function tmp(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A throwaway environments folder: file name -> YAML text. */
export function environmentsDir(files: Record<string, string>): string {
  const dir = tmp('envs-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

export interface Rendered {
  /** Parsed objects by file name, e.g. `daemonset-node-agent.yaml`. */
  readonly objects: Record<string, any>;
  readonly findings: Finding[];
}

/** Renders one environment file (plus fragments) through the real pipeline. */
export function render(yamlText: string, fragments: Record<string, string> = {}, fileName = 'test-env.yaml'): Rendered {
  const { rendered, findings } = synthesize(environmentsDir({ [fileName]: yamlText, ...fragments }));
  const objects: Record<string, any> = {};
  for (const env of rendered) for (const [file, text] of env.files) objects[file] = parse(text);
  return { objects, findings };
}

/** The rendered node-agent DaemonSet, its pod spec and its one container. */
export function daemonSet(yamlText: string, fragments: Record<string, string> = {}) {
  const { objects, findings } = render(yamlText, fragments);
  const ds = objects['daemonset-node-agent.yaml'];
  if (!ds) throw new Error(`no DaemonSet rendered: ${JSON.stringify(findings, null, 2)}`);
  const pod = ds.spec.template.spec;
  return { ds, pod, container: pod.containers[0], objects, findings };
}

/** Validation findings for one environment file (plus fragments). */
export function findingsFor(yamlText: string, fragments: Record<string, string> = {}, fileName = 'test-env.yaml'): Finding[] {
  return render(yamlText, fragments, fileName).findings;
}

/**
 * Every entry under `dir` by relative path: `<folder>/` -> '', a link -> `link -> <target>`, a
 * FIFO -> 'fifo', a file -> its content (its size when large). Never follows a link or opens a
 * FIFO, so it can snapshot a hostile tree. 'missing' when there is no `dir`.
 */
export function tree(dir: string): Record<string, string> | 'missing' {
  if (!fs.lstatSync(dir, { throwIfNoEntry: false })) return 'missing';
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const child = path.join(rel, name);
      const st = fs.lstatSync(path.join(dir, child));
      if (st.isSymbolicLink()) out[child] = `link -> ${fs.readlinkSync(path.join(dir, child))}`;
      else if (st.isDirectory()) {
        out[`${child}/`] = '';
        walk(child);
      } else if (st.isFIFO()) out[child] = 'fifo';
      else out[child] = st.size > 65536 ? `${st.size} bytes` : fs.readFileSync(path.join(dir, child), 'latin1');
    }
  };
  walk('');
  return out;
}

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI's `main` in-process with console captured; `env` replaces process.env (no CDK8S_OUTDIR unless given). */
export function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Run {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const code = main(argv, env);
    const text = (spy: jest.SpyInstance) => spy.mock.calls.map((args) => args.join(' ')).join('\n');
    return { code, out: text(log), err: text(error) };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
