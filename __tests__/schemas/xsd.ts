/**
 * XML documents checked against an XSD with libxml2, in a worker thread (validate-xsd.mjs).
 * libxml2-wasm is an ES module: imported in a unit test's worker it goes through tsx's loader,
 * which compiles its large modules (1.0 s); a worker thread of its own loads it in plain node
 * (0.17 s), and a node process costs more than the thread (0.5 s).
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";

/** The schema's complaints about each document, in order: [] for a valid one. */
export function xsdComplaints(xsd: string, documents: readonly string[]): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, "validate-xsd.mjs"), { workerData: { xsd, documents } });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the XSD validator ended with code ${code} and no answer`)));
  });
}
