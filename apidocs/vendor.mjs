// Copy Swagger UI's built files from node_modules into server/static/apidocs/ and record
// their SHA-256 with the version, so tests can check the served files are the pinned ones.
// Run after `npm ci` in this folder: `npm run vendor`.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "node_modules", "swagger-ui-dist");
const target = join(here, "..", "server", "static", "apidocs");
const files = ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"];
const { version } = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));

mkdirSync(target, { recursive: true });
const lines = [`# swagger-ui-dist ${version}`];
for (const name of files) {
  copyFileSync(join(source, name), join(target, name));
  const digest = createHash("sha256").update(readFileSync(join(target, name))).digest("hex");
  lines.push(`${digest}  ${name}`);
}
writeFileSync(join(target, "SHA256SUMS"), lines.join("\n") + "\n");
console.log(lines.join("\n"));
