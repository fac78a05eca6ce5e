/** Locates the bundled provisioning CLI that every stack ships as an asset. */
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Built layout: dist/constructs/cli-bundle.js next to dist/cli.cjs; from source: lib/constructs/. */
const CANDIDATES = [
  join(__dirname, "..", "cli.cjs"),
  join(__dirname, "..", "..", "dist", "cli.cjs"),
];

export function cliBundlePath(): string {
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      "cdktf-polytomic: the provisioning CLI bundle (dist/cli.cjs) is missing. Build the package with `npm run build`.",
    );
  }
  return found;
}
