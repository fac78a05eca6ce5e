/**
 * Terraform values in props. Every prop but `name` may be a token (a variable, another resource's
 * attribute, an `Fn` result, a template literal around one); Terraform resolves it at apply.
 *
 * A stack's {@link TerraformValues} turns each token into a placeholder of the declarations
 * (lib/core/declarations.ts) and remembers it: the stack file holds placeholders, the deploy step's
 * environment the list of resolved values (`jsonencode([...])`, written by cdktf), and each
 * object's resource the readable form, in which tokens stay Terraform expressions and literal text
 * is escaped so that Terraform never interprets it.
 */
import type { Placeholder, ValuePlaceholder } from "../core/declarations";
import { isPlaceholder } from "../core/declarations";
import { escapeTemplate } from "../core/template-escape";
import type { IConstruct } from "constructs";
import type { Framework, IResolvable, TerraformStack } from "./framework";
import { frameworkOf } from "./framework";

interface Fragment {
  readonly type: string;
  readonly lit?: unknown;
  readonly token?: IResolvable;
  readonly intrinsic?: IResolvable;
}

/** The fragments of a string with tokens (cdktf keeps them in a field it does not type). */
function fragmentsOf(framework: Framework, text: string): readonly Fragment[] {
  const reversed = framework.core.Tokenization.reverseString(text);
  return (reversed as unknown as { fragments: Fragment[] }).fragments;
}

/**
 * A Terraform value of type bool, as cdktf (and cdktn) represent one: a `TerraformVariable`'s
 * `booleanValue`, `Token.asAny(Fn.tobool(...))`. Structural, so that the public types name no
 * framework.
 */
export interface IResolvableBoolean {
  /** Called by the framework at synth; never by user code. */
  resolve(...context: never[]): unknown;
}

export class TerraformValues {
  /** The tokens, in placeholder order; each becomes one element of the deploy step's list. */
  readonly values: unknown[] = [];
  /** The tokens of `Secret.fromTerraform`, in index order. */
  readonly secrets: unknown[] = [];

  constructor(
    private readonly stack: TerraformStack,
    private readonly framework: Framework,
  ) {}

  /** Whether `value` is a Terraform token (the string, number, list or resolvable encodings). */
  isToken(value: unknown): boolean {
    return this.framework.core.Token.isUnresolved(value);
  }

  private remember(token: unknown): ValuePlaceholder {
    this.values.push(token);
    return { $value: this.values.length - 1 };
  }

  /** Registers a secret's token; returns its index. */
  rememberSecret(token: unknown): number {
    this.secrets.push(token);
    return this.secrets.length - 1;
  }

  /** A copy of `value` with every token replaced by a placeholder. */
  defer(value: unknown): unknown {
    const { Token } = this.framework.core;
    if (typeof value === "string") {
      if (!Token.isUnresolved(value)) return value;
      const parts: (string | ValuePlaceholder)[] = fragmentsOf(this.framework, value).map(
        (fragment) =>
          fragment.type === "literal"
            ? String(fragment.lit)
            : this.remember(Token.asString(fragment.token ?? fragment.intrinsic)),
      );
      if (parts.length === 1 && typeof parts[0] !== "string") return parts[0];
      return { $concat: parts } satisfies Placeholder;
    }
    if (typeof value === "number") return Token.isUnresolved(value) ? this.remember(value) : value;
    if (Array.isArray(value)) {
      return Token.isUnresolved(value)
        ? this.remember(value)
        : value.map((item) => this.defer(item));
    }
    if (typeof value === "object" && value !== null) {
      if (Token.isUnresolved(value)) return this.remember(value);
      return Object.fromEntries(
        Object.entries(value).map(([key, member]) => [key, this.defer(member)]),
      );
    }
    return value;
  }

  /**
   * The readable form of a deferred declaration for the Terraform configuration: placeholders
   * become the Terraform expressions they stand for, literal text is escaped.
   */
  display(value: unknown): unknown {
    const { Token } = this.framework.core;
    if (isPlaceholder(value)) {
      if ("$value" in value) return this.values[value.$value];
      return value.$concat
        .map((part) =>
          typeof part === "string"
            ? escapeTemplate(part)
            : Token.asString(this.values[part.$value]),
        )
        .join("");
    }
    if (typeof value === "string") return escapeTemplate(value);
    if (Array.isArray(value)) return value.map((item) => this.display(item));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, member]) => [key, this.display(member)]),
      );
    }
    return value;
  }

  /** The Terraform expression of a token, e.g. `var.password`, for messages and plans. */
  expressionOf(token: unknown): string {
    const { DefaultTokenResolver, StringConcat, Tokenization } = this.framework.core;
    const resolved = Tokenization.resolve(token, {
      scope: this.stack,
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    });
    const text = String(resolved);
    const bare = /^\$\{([\s\S]*)\}$/.exec(text);
    return bare ? bare[1] : text;
  }

  /**
   * The property paths of `props` whose text holds a number token written in with `${}`: cdktf
   * encodes a number token as a huge negative number, which a template literal turns into digits
   * rather than a Terraform expression (Token.asString keeps it a token).
   */
  numberTokensInText(
    props: unknown,
    path = "",
  ): { readonly property: string; readonly text: string }[] {
    const { Token, Tokenization } = this.framework.core;
    if (typeof props === "string") {
      const numbers = props.match(/-?\d+(?:\.\d+)?e[+-]\d+/gi) ?? [];
      const found = numbers.some((n) => Tokenization.reverseNumber(Number(n)) !== undefined);
      return found ? [{ property: path, text: props }] : [];
    }
    if (Array.isArray(props))
      return props.flatMap((item, index) => this.numberTokensInText(item, `${path}[${index}]`));
    const plain =
      typeof props === "object" &&
      props !== null &&
      [Object.prototype, null].includes(Object.getPrototypeOf(props));
    if (plain && !Token.isUnresolved(props)) {
      return Object.entries(props as object).flatMap(([key, value]) =>
        this.numberTokensInText(value, path ? `${path}.${key}` : key),
      );
    }
    return [];
  }
}

/** The stack's registry of Terraform values. */
export function valuesOf(scope: IConstruct): TerraformValues {
  const { framework, stack } = frameworkOf(scope);
  let registry = registries.get(stack);
  if (!registry) {
    registry = new TerraformValues(stack, framework);
    registries.set(stack, registry);
  }
  return registry;
}

const registries = new WeakMap<TerraformStack, TerraformValues>();
