/** Jest's `globalTeardown`: removes the run's temporary folder (jest-tmpdir.js). */
"use strict";
const { removeRunTmpdir } = require("./jest-tmpdir");

module.exports = async function globalTeardown() {
  removeRunTmpdir();
};
