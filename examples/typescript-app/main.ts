import { App, Aspects } from "cdktf";
import { RulePack } from "multi-region-kms-keys/policy";
import { PaymentsKeys } from "./lib/payments-keys";

const app = new App();
const stack = new PaymentsKeys(app, "payments-keys");
// The rule pack checks the stack when the app synthesizes (and `mrk synth` writes its HCL).
// cdktf runs the aspects of stacks, not of the app: add it to each stack.
Aspects.of(stack).add(new RulePack());
app.synth();
