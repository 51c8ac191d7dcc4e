/** Jest's `globalSetup`: the run's temporary folder (jest-tmpdir.js). */
"use strict";
const { createRunTmpdir } = require("./jest-tmpdir");

module.exports = async function globalSetup() {
  createRunTmpdir();
};
