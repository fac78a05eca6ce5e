/**
 * Everything the CLI prints goes through a Redactor holding the API key and every secret value read
 * for this run, so no secret reaches Terraform's output or a CI log, even inside a server message.
 * The API client masks with it too, before it cuts or folds a server's text (see session.ts).
 */
import { SecretMask } from "../core/secret-mask";
import { ProvisionError } from "./errors";

/**
 * Shortest secret the CLI accepts. Masking a shorter value would also mask ordinary words in the
 * output (a one-letter secret masked every `a`) and show where the secret occurs; and 8 characters
 * is the least any credential here can have (Snowflake passwords, and NIST SP 800-63B's floor).
 */
export const MIN_SECRET_LENGTH = 8;

export class Redactor {
  private readonly mask = new SecretMask();

  /**
   * Registers a secret: its raw, JSON-escaped, URL-encoded and HTML-escaped spellings, with any
   * whitespace in it matching folded whitespace or tags, are all masked from then on.
   *
   * Throws a {@link ProvisionError} naming `source` (where the value came from, never the value)
   * when the value has fewer than {@link MIN_SECRET_LENGTH} characters besides surrounding
   * whitespace, since it cannot be masked safely. An empty value is ignored: it holds nothing to hide.
   */
  add(secret: string, source?: string): void {
    if (secret === "") return;
    if (secret.trim().length < MIN_SECRET_LENGTH) {
      const subject = source ?? "a secret";
      throw new ProvisionError(
        `${subject} holds fewer than ${MIN_SECRET_LENGTH} characters, too short to mask in the output without masking ordinary text too; ` +
          `set it to the real credential (at least ${MIN_SECRET_LENGTH} characters) before running cdktf deploy`,
      );
    }
    this.mask.add(secret);
  }

  apply(text: string): string {
    return this.mask.apply(text);
  }
}
