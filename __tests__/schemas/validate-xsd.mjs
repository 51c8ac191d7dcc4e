// Validates the XML on stdin against the XSD named by the first argument, with libxml2
// (libxml2-wasm). Prints a JSON list of the schema's complaints: [] when the XML is valid.
import { readFileSync } from "node:fs";
import { XmlDocument, XsdValidator, XmlValidateError } from "libxml2-wasm";

const schema = XmlDocument.fromString(readFileSync(process.argv[2], "utf8"));
const validator = XsdValidator.fromDoc(schema);
const document = XmlDocument.fromString(readFileSync(0, "utf8"));
try {
  validator.validate(document);
  process.stdout.write("[]");
} catch (error) {
  if (!(error instanceof XmlValidateError)) throw error;
  process.stdout.write(JSON.stringify(error.details.map((d) => `line ${d.line}: ${d.message.trim()}`)));
}
