/**
 * The cdk8s app: `npm run synth`, `npm run check`, `npm run validate`, `npm run lint-configmap`
 * and `cdk8s synth` (via cdk8s.yaml, with --cdk8s-app) run this.
 * Flow: pipeline/load -> pipeline/validate (policies/) -> constructs/ -> pipeline/render -> pipeline/check -> pipeline/output.
 */
import { main } from './pipeline/cli';

process.exitCode = main(process.argv.slice(2));
