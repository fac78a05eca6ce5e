/**
 * Secrets are passed by reference. A `Secret` names where the value lives at apply time: an
 * environment variable of the deploy, or a Terraform value (a sensitive variable, a
 * `random_password`, a secret-manager data source). The value is never read at synth, so it cannot
 * reach the synthesized JSON, the Terraform state or the plan: the deploy step receives it at apply
 * through its provisioner's environment.
 */

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Brand shared by every copy of this library loaded in one process (instanceof is not). */
const BRAND = Symbol.for("cdktf-polytomic.Secret");

/**
 * Where a secret's value lives at apply time; props that take credentials take a `Secret`, never
 * a plain string.
 *
 * @example
 * password: Secret.fromEnv("SNOWFLAKE_PASSWORD")
 */
export class Secret {
  /**
   * A secret read from the environment variable `variableName` when the stack is applied.
   * @example Secret.fromEnv("SNOWFLAKE_PASSWORD")
   */
  static fromEnv(variableName: string): Secret {
    // The name is not echoed: a value passed here by mistake would be a secret.
    if (typeof variableName !== "string" || !ENV_NAME.test(variableName)) {
      throw new Error(
        "Secret.fromEnv: the argument is not an environment variable name (letters, digits and underscores, not starting with a digit). " +
          'Pass the name of the variable that holds the secret, e.g. Secret.fromEnv("SNOWFLAKE_PASSWORD"), not its value.',
      );
    }
    if (
      process.env[variableName] === undefined &&
      Object.values(process.env).includes(variableName)
    ) {
      throw new Error(
        "Secret.fromEnv: the argument is the value of an environment variable, not a variable name. " +
          'Pass the name, e.g. Secret.fromEnv("SNOWFLAKE_PASSWORD"), not process.env.SNOWFLAKE_PASSWORD.',
      );
    }
    return new Secret({ env: variableName });
  }

  /**
   * A secret Terraform resolves at apply: a sensitive variable's `stringValue`, a resource or data
   * source attribute. The construct using it checks that it is a Terraform value, never a plain
   * string (which would be a secret written into the code).
   * @example Secret.fromTerraform(new TerraformVariable(stack, "pw", { sensitive: true }).stringValue)
   */
  static fromTerraform(value: string): Secret {
    return new Secret({ terraform: value });
  }

  /** Whether `value` is a Secret, also one made by another copy of this library. */
  static isSecret(value: unknown): value is Secret {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  /** @internal */
  readonly [BRAND] = true;

  private constructor(
    /** @internal Where the value comes from. */
    readonly source: { readonly env: string } | { readonly terraform: unknown },
  ) {}

  /** The environment variable that holds the value at apply time, for `fromEnv` secrets. */
  get variableName(): string | undefined {
    return "env" in this.source ? this.source.env : undefined;
  }

  /** A description that is safe to print: it names the variable, never a value. */
  toString(): string {
    return "env" in this.source
      ? `Secret.fromEnv(${JSON.stringify(this.source.env)})`
      : "Secret.fromTerraform(<Terraform value>)";
  }

  /** The same safe description, so that JSON.stringify never shows a value either. */
  toJSON(): string {
    return this.toString();
  }
}
