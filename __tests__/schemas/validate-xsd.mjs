// Validates XML documents against an XSD with libxml2 (libxml2-wasm, an ES module), in a worker
// thread of its own (xsd.ts): `workerData` is { xsd: the schema's path, documents: XML texts };
// it posts a list with, for each document, the schema's complaints: [] when valid.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { XmlDocument, XmlValidateError, XsdValidator } from "libxml2-wasm";

const schema = XmlDocument.fromString(readFileSync(workerData.xsd, "utf8"));
const validator = XsdValidator.fromDoc(schema);
const complaints = workerData.documents.map((xml) => {
  try {
    validator.validate(XmlDocument.fromString(xml));
    return [];
  } catch (error) {
    if (!(error instanceof XmlValidateError)) throw error;
    return error.details.map((d) => `line ${d.line}: ${d.message.trim()}`);
  }
});
parentPort.postMessage(complaints);
