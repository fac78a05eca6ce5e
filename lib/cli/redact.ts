/**
 * Everything the CLI prints goes through a Redactor holding the API key and every secret value read
 * for this run, so no secret reaches Terraform's output or a CI log, even inside a server message.
 */
export class Redactor {
  private readonly forms = new Set<string>();

  /**
   * Registers a secret; its raw, JSON-escaped and URL-encoded spellings are all masked. `purpose`
   * names where it came from (never its value), for errors about it.
   */
  add(secret: string, _purpose?: string): void {
    if (secret === "") return;
    this.forms.add(secret);
    this.forms.add(JSON.stringify(secret).slice(1, -1));
    this.forms.add(encodeURIComponent(secret));
  }

  apply(text: string): string {
    let result = text;
    // Longest first, so a secret containing another is masked whole.
    for (const form of [...this.forms].sort((a, b) => b.length - a.length)) {
      result = result.split(form).join("[redacted]");
    }
    return result;
  }
}
