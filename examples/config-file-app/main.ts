import { App } from "cdktf";
import { buildStacks, configFilesIn, exitOnInvalidInput } from "multi-region-kms-keys";

// One stack per config file in keys/; each checks itself with the rule pack when it synthesizes.
// Bad input ends the app with one line per problem, naming the file, the field and the value.
exitOnInvalidInput(() => {
  const app = new App();
  buildStacks(app, configFilesIn("keys"));
  app.synth();
});
