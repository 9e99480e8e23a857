#!/usr/bin/env node
/**
 * The velero-node-agent command (package.json `bin`), the npm scripts of this repository, and
 * cdk8s.yaml's app (`synth --cdk8s-app`). Flow: pipeline/load -> pipeline/environment ->
 * constructs/ (policies/ check the spec) -> pipeline/render -> pipeline/check -> pipeline/output.
 */
import { main } from './cli';
import { staleBuildNote } from './cli/stale-build';

const note = staleBuildNote(__filename);
if (note) console.error(note);
process.exitCode = main(process.argv.slice(2));
