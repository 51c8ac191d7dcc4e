/**
 * The tests say why they fail: no test compares a process's exit code alone, which shows only
 * the number when it fails (`expect(result.status).toBe(0)`), or with `toMatchObject`, which
 * shows only the keys it was given (`toMatchObject({ status: 0 })`). `toExitWith` shows the
 * process's stderr and stdout (__tests__/process-matchers.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const TESTS = __dirname;
const EXIT_CODE_ALONE = /\.(status|code)\)\.(not\.)?(toBe|toEqual)\(|toMatchObject\(\{\s*(status|code):/;

const isComment = (line: string) => /^\s*(\*|\/\/|\/\*)/.test(line);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

test("no test compares a process's exit code alone", () => {
  const offenders = testFiles(TESTS).flatMap((path) =>
    readFileSync(path, "utf8")
      .split("\n")
      .flatMap((line, i) =>
        EXIT_CODE_ALONE.test(line) && !isComment(line) ? [`${relative(TESTS, path)}:${i + 1}: ${line.trim()}`] : [],
      ),
  );
  expect(offenders).toEqual([]);
});
