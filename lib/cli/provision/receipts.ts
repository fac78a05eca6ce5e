/**
 * Receipts of completed upserts: an empty file per spec digest in the stack directory, the
 * provisioners' working directory. See `reconcile` in the contract for why they exist.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { specDigest } from "../../core/canonical-json";
import { RECEIPTS_DIR } from "../../core/contract";

function receiptPath(encodedSpec: string): string {
  return join(process.cwd(), RECEIPTS_DIR, specDigest(encodedSpec));
}

export function hasReceipt(encodedSpec: string): boolean {
  return existsSync(receiptPath(encodedSpec));
}

/**
 * Records that `encodedSpec` was applied. Returns false when the directory is not writable; the
 * object is applied all the same, and the reconcile step will apply it once more.
 */
export function writeReceipt(encodedSpec: string): boolean {
  try {
    mkdirSync(join(process.cwd(), RECEIPTS_DIR), { recursive: true });
    writeFileSync(receiptPath(encodedSpec), "");
    return true;
  } catch {
    return false;
  }
}

/** Removes receipts of specs the stack no longer holds, so the directory does not grow forever. */
export function pruneReceipts(currentSpecs: readonly string[]): void {
  const keep = new Set(currentSpecs.map(specDigest));
  const dir = join(process.cwd(), RECEIPTS_DIR);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (/^[0-9a-f]{64}$/.test(name) && !keep.has(name)) rmSync(join(dir, name), { force: true });
  }
}
