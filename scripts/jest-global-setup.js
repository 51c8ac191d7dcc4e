/** Jest's `globalSetup`: the run's temporary folder (jest-tmpdir.js), then the libraries' bundle (jest-libraries.js). */
"use strict";
const { createRunTmpdir } = require("./jest-tmpdir");
const buildLibraries = require("./jest-libraries");

module.exports = async function globalSetup() {
  createRunTmpdir();
  await buildLibraries();
};
