/**
 * Masks secret values in text that came from outside (server messages, error texts), whichever way
 * the text spells them. A server may echo a secret JSON-escaped (inside a quoted body),
 * URL-encoded (a DSN or a form), HTML-escaped (an error page), or with its whitespace folded or
 * broken by tags. Callers mask the raw text first and only then cut, fold or strip it: a cut
 * through a secret, or a tag stripped out of one, would otherwise leave most of it unmasked.
 */

/** What a masked secret becomes. */
export const MASK = "[redacted]";

/** One way of writing a secret, and what may stand for a run of whitespace when it is written so. */
interface Spelling {
  readonly encode: (secret: string) => string;
  /** Splits the encoded secret where it has whitespace. */
  readonly split: RegExp;
  /** Matches, in the text, whatever may stand where the secret has whitespace. */
  readonly gap: string;
}

/** Whitespace, a non-breaking space entity or an HTML tag (`<br>`, `</span>`). */
const TEXT_GAP = String.raw`(?:\s|&nbsp;|&#160;|<[^<>]*>)+`;

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

const SPELLINGS: readonly Spelling[] = [
  { encode: (secret) => secret, split: /\s+/, gap: TEXT_GAP },
  {
    encode: (secret) => secret.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]),
    split: /\s+/,
    gap: TEXT_GAP,
  },
  {
    encode: (secret) => JSON.stringify(secret).slice(1, -1),
    split: /(?:\s|\\[nrt])+/,
    gap: String.raw`(?:\s|\\[nrt])+`,
  },
  {
    encode: encodeURIComponent,
    split: /(?:%20|%09|%0A|%0D)+/,
    gap: String.raw`(?:%20|%09|%0[AD]|\+)+`,
  },
  {
    // application/x-www-form-urlencoded, which also escapes !'()~ and writes a space as "+".
    encode: (secret) => new URLSearchParams([["", secret]]).toString().slice(1),
    split: /(?:\+|%09|%0A|%0D)+/,
    gap: String.raw`(?:%20|%09|%0[AD]|\+)+`,
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface Form {
  /** Length of the spelling, for longest-first masking. */
  readonly length: number;
  readonly pattern: RegExp;
}

/** `text` as a pattern that matches it literally, or matches nothing where it is absent. */
function optional(text: string | undefined): string {
  return text ? `(?:${escapeRegExp(text)})?` : "";
}

/**
 * The patterns of every spelling of `secret`; none for a secret that is only whitespace. Whitespace
 * inside the secret matches any gap; whitespace around it is masked where the text has it too.
 */
function formsOf(secret: string): Form[] {
  const sources = new Map<string, number>();
  for (const spelling of SPELLINGS) {
    let encoded: string;
    try {
      encoded = spelling.encode(secret);
    } catch {
      // encodeURIComponent refuses a lone surrogate; such a string has no URL spelling to mask.
      continue;
    }
    const leading = new RegExp(`^(?:${spelling.split.source})`).exec(encoded)?.[0];
    const trailing = new RegExp(`(?:${spelling.split.source})$`).exec(encoded)?.[0];
    const pieces = encoded.split(spelling.split).filter((piece) => piece !== "");
    if (pieces.length === 0) continue;
    const inner = pieces.map(escapeRegExp).join(spelling.gap);
    sources.set(`${optional(leading)}${inner}${optional(trailing)}`, encoded.length);
  }
  return [...sources].map(([source, length]) => ({ length, pattern: new RegExp(source, "g") }));
}

/** A set of secret values and the masking of all their spellings in a text, longest first. */
export class SecretMask {
  private readonly secrets = new Set<string>();
  private forms: Form[] = [];

  /** Adds `secret`; the caller decides whether it is long enough to mask without harm. */
  add(secret: string): void {
    if (this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.forms = [...this.forms, ...formsOf(secret)].sort((a, b) => b.length - a.length);
  }

  /** `text` with every spelling of every secret replaced by {@link MASK}. */
  apply(text: string): string {
    // Longest first, so that a secret containing another is masked whole.
    return this.forms.reduce((result, form) => result.replace(form.pattern, MASK), text);
  }
}
