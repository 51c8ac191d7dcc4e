import { App, Aspects } from "cdktf";
import { exitOnInvalidInput } from "multi-region-kms-keys";
import { RulePack } from "multi-region-kms-keys/policy";
import { OrdersData } from "./lib/orders-data";
import { PaymentsKeys } from "./lib/payments-keys";

// #region app
// Bad input (a prop out of range, a stack that breaks a policy rule) ends the synth with its
// message and exit code 1, not a stack trace.
exitOnInvalidInput(() => {
  const app = new App();
  const stacks = [new PaymentsKeys(app, "payments-keys"), new OrdersData(app, "orders-data")];
  // The rule pack checks each stack when the app synthesizes (and `mrk synth` writes its HCL).
  // cdktf runs the aspects of stacks, not of the app: add it to each stack.
  for (const stack of stacks) Aspects.of(stack).add(new RulePack());
  app.synth();
});
// #endregion app
