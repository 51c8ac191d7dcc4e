/**
 * The CDKTF app that `cdktf synth` and `cdktf deploy` run (see cdktf.json).
 *
 * `npm run synth` builds the same stacks and writes reviewable HCL instead: lib/cli/synth.ts.
 */
import { App } from "cdktf";
import { buildStacks, exitOnInvalidInput } from "./lib/config-app";
import { stackConfigPaths } from "./stacks/app";

exitOnInvalidInput(() => {
  const app = new App();
  buildStacks(app, stackConfigPaths());
  app.synth();
});
