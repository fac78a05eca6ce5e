/**
 * What every Polytomic object construct shares: props checked against their schema, secrets and
 * Terraform values turned into declarations, validation reported under the construct's path, and
 * registration with the stack, which carries the declaration in Terraform.
 */
import type { ObjectKind } from "../core/contract";
import type { ConnectionType, Declaration, SecretSource } from "../core/declarations";
import type { IssueCollector } from "../core/errors";
import { NOT_SHOWN, PolytomicValidationError } from "../core/errors";
import { Secret } from "../core/secret";
import type { PropsSchema } from "../core/validate/props";
import { checkPropsShape } from "../core/validate/props";
import type { IConstruct } from "constructs";
import { Construct } from "constructs";
import type { ITerraformDependable } from "./framework";
import { frameworkOf } from "./framework";
import { PolytomicStackResources } from "./stack-resources";
import { subjectOf } from "./subject";

/** A construct this object refers to, and what it is in Polytomic. */
export interface Dependency {
  readonly construct: IConstruct;
  readonly property: string;
  readonly kind: ObjectKind;
  readonly name: string;
  readonly type?: ConnectionType;
  readonly typeName: string;
}

export abstract class PolytomicObject extends Construct {
  /** @internal */
  private readonly stackResources: PolytomicStackResources;

  /** @internal */
  protected constructor(
    scope: Construct,
    id: string,
    private readonly typeName: string,
  ) {
    super(scope, id);
    this.stackResources = PolytomicStackResources.of(this, typeName);
  }

  /** @internal */
  protected get subject(): string {
    return subjectOf(this.typeName, this);
  }

  /**
   * Checks the props' shape; throws at once when it is wrong, since nothing more can be checked.
   * @internal
   */
  protected checkShape(issues: IssueCollector, schema: PropsSchema, props: unknown): void {
    checkPropsShape(issues, schema, props, this.typeName);
    for (const { property, text } of this.stackResources.values.numberTokensInText(props)) {
      issues.add({
        property,
        received: text,
        problem:
          "holds a Terraform number written into the text with ${…}, which cdktf turns into a meaningless number rather than a Terraform value",
        fix: "Write the number as Token.asString(value) inside the template, e.g. `LIMIT ${Token.asString(limit.numberValue)}`.",
      });
    }
    issues.throwIfAny(() => this.subject);
  }

  /**
   * A secret prop as a declaration's source; a value that is not a `Secret` is an issue.
   * @internal
   */
  protected secretSource(
    issues: IssueCollector,
    property: string,
    value: unknown,
  ): SecretSource | undefined {
    if (value === undefined) return undefined;
    if (!Secret.isSecret(value)) {
      issues.add({
        property,
        received: NOT_SHOWN,
        problem: "must be a Secret reference",
        fix: `Pass Secret.fromEnv("VARIABLE_NAME") (exported when you deploy) or Secret.fromTerraform(<a Terraform value>); a plain value would be written into the synthesized stack and the Terraform state.`,
      });
      return undefined;
    }
    const source = value.source;
    if ("env" in source) return { env: source.env };
    if (!this.isToken(source.terraform)) {
      issues.add({
        property,
        received: NOT_SHOWN,
        problem: "is Secret.fromTerraform of a plain value, not of a Terraform value",
        fix: 'Pass a Terraform value, e.g. Secret.fromTerraform(passwordVariable.stringValue) of a sensitive TerraformVariable, or use Secret.fromEnv("VARIABLE_NAME"); a secret must not be written in the code.',
      });
      return undefined;
    }
    const index = this.stackResources.rememberSecret(source.terraform);
    return { terraform: index, expression: `Terraform value #${index}` };
  }

  /** @internal Whether `value` is a Terraform token of the stack's framework. */
  protected isToken(value: unknown): boolean {
    return this.stackResources.values.isToken(value);
  }

  /** @internal Terraform values replaced by placeholders (tokens are resolved at apply). */
  protected defer<T>(value: T): T {
    return this.stackResources.values.defer(value) as T;
  }

  /**
   * Checks that `dependency` can be used from here. An object of another stack of the app makes
   * this stack depend on that one (cdktf deploys it first) and is recorded as a reference.
   */
  private use(dependency: Dependency): void {
    const here = frameworkOf(this).stack;
    const there = frameworkOf(dependency.construct).stack;
    if (here.node.root !== there.node.root) {
      throw new PolytomicValidationError(this.subject, [
        {
          property: dependency.property,
          received: dependency.construct.node.path,
          problem: "belongs to another cdktf App",
          fix: "Reference objects created in the same App (objects of other apps can be referenced by name with the fromConnectionName importers).",
        },
      ]);
    }
    if (here === there) return;
    here.addDependency(there);
    this.stackResources.useFromOtherStack({
      kind: dependency.kind,
      name: dependency.name,
      ...(dependency.type ? { type: dependency.type } : {}),
      path: dependency.construct.node.path,
      construct: dependency.typeName,
    });
  }

  /** @internal Finishes construction: throws the collected issues and registers the declaration. */
  protected declare(
    issues: IssueCollector,
    declaration: Declaration,
    dependencies: readonly Dependency[],
    dependsOn: readonly ITerraformDependable[] | undefined,
  ): void {
    issues.throwIfAny(() => this.subject);
    for (const dependency of dependencies) this.use(dependency);
    this.stackResources.registerOwned({
      construct: this,
      typeName: this.typeName,
      declaration,
      subject: () => this.subject,
      dependsOn,
    });
  }
}
