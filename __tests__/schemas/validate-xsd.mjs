// Validates XML documents against the XSD named by the first argument, with libxml2
// (libxml2-wasm, an ES module, hence a process of its own). Reads a JSON list of documents on
// stdin and prints a JSON list with, for each document, the schema's complaints: [] when valid.
import { readFileSync } from "node:fs";
import { XmlDocument, XmlValidateError, XsdValidator } from "libxml2-wasm";

const schema = XmlDocument.fromString(readFileSync(process.argv[2], "utf8"));
const validator = XsdValidator.fromDoc(schema);
const complaints = JSON.parse(readFileSync(0, "utf8")).map((xml) => {
  try {
    validator.validate(XmlDocument.fromString(xml));
    return [];
  } catch (error) {
    if (!(error instanceof XmlValidateError)) throw error;
    return error.details.map((d) => `line ${d.line}: ${d.message.trim()}`);
  }
});
process.stdout.write(JSON.stringify(complaints));
