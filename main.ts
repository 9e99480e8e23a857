/**
 * The cdk8s app: `npm run synth`, `npm run check` and `cdk8s synth` (via cdk8s.yaml) run this.
 * Flow: pipeline/load -> pipeline/validate (policies/) -> constructs/ -> pipeline/render -> pipeline/write.
 */
import { main } from './pipeline/cli';

process.exitCode = main(process.argv.slice(2));
