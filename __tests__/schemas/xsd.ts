/**
 * XML documents checked against an XSD with libxml2 (the `libxml2-wasm` package, an ES module,
 * which the unit tests load with `import()`).
 */

/** The schema's complaints about each document, in order: [] for a valid one. */
export async function xsdComplaints(xsd: string, documents: readonly string[]): Promise<string[][]> {
  const { XmlDocument, XmlValidateError, XsdValidator } = await import("libxml2-wasm");
  const schema = XmlDocument.fromString(xsd);
  const validator = XsdValidator.fromDoc(schema);
  try {
    return documents.map((xml) => {
      const document = XmlDocument.fromString(xml);
      try {
        validator.validate(document);
        return [];
      } catch (error) {
        if (!(error instanceof XmlValidateError)) throw error;
        return error.details.map((detail) => `line ${detail.line}: ${detail.message.trim()}`);
      } finally {
        document.dispose();
      }
    });
  } finally {
    validator.dispose();
    schema.dispose();
  }
}
