/**
 * The CDKTF app that `cdktf synth` and `cdktf deploy` run (see cdktf.json).
 *
 * `npm run synth` builds the same stacks and writes reviewable HCL instead: scripts/synth.ts.
 */
import { App } from "cdktf";
import { buildStacks, exitOnInvalidInput, stackConfigPaths, synthesizeApp } from "./stacks/app";

exitOnInvalidInput(() => {
  const app = new App();
  synthesizeApp(app, buildStacks(app, stackConfigPaths()));
});
