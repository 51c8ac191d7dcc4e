/**
 * A consumer's own CDKTF app (__tests__/payments-keys-stack.ts), for __tests__/e2e/status.test.ts,
 * which runs it as its project's cdktf.json app.
 */
import { App } from "cdktf";
import { paymentsKeysStack } from "../payments-keys-stack";

const app = new App();
paymentsKeysStack(app, "111111111111");
app.synth();
