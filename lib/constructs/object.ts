/**
 * What every Polytomic object construct shares: validation reporting under the construct's path,
 * registration with its stack, and the apply resource ordered after what it depends on.
 */
import { encodeSpec, specDigest } from "../core/canonical-json";
import type { ObjectKind, ObjectSpec } from "../core/contract";
import type { IssueCollector } from "../core/errors";
import { PolytomicValidationError } from "../core/errors";
import type { ShapeRule } from "../core/validate/shape";
import { checkShape } from "../core/validate/shape";
import { checkSpecSize } from "../core/validate/spec-size";
import type { IConstruct, TerraformResource } from "./cdktf";
import { Construct, TerraformStack } from "./cdktf";
import { PolytomicStackResources } from "./stack-resources";
import { subjectOf } from "./subject";
import { rejectTokens } from "./tokens";

/** Kinds an object of each kind may depend on: its lifecycle waits for theirs. */
const DEPENDENCY_KINDS: Record<ObjectKind, readonly ObjectKind[]> = {
  connection: ["connection"],
  model: ["model", "connection"],
  sync: ["sync", "model", "connection"],
};

export abstract class PolytomicObject extends Construct {
  protected readonly stackResources: PolytomicStackResources;

  protected constructor(
    scope: Construct,
    id: string,
    private readonly kind: ObjectKind,
    private readonly typeName: string,
  ) {
    super(scope, id);
    this.stackResources = PolytomicStackResources.of(this);
  }

  protected get subject(): string {
    return subjectOf(this.typeName, this);
  }

  /**
   * Checks the props' shape and the absence of Terraform tokens (specs are encoded at synth);
   * throws at once when the shape is wrong, since nothing further can be checked.
   */
  protected checkProps(
    issues: IssueCollector,
    props: unknown,
    rules: readonly ShapeRule[] = [],
  ): void {
    if (checkShape(issues, props, rules)) rejectTokens(issues, props, "");
    issues.throwIfAny(() => this.subject);
  }

  /**
   * Checks that `dependency` can be referenced from here and returns what the apply resource must
   * wait for: the dependency's apply resource when it is owned by this stack. A dependency in
   * another stack of the app makes this stack depend on that one.
   */
  private orderAfter(dependency: IConstruct, property: string): TerraformResource[] {
    const here = TerraformStack.of(this);
    const there = TerraformStack.of(dependency);
    if (here.node.root !== there.node.root) {
      throw new PolytomicValidationError(this.subject, [
        {
          property,
          received: dependency.node.path,
          problem: "belongs to another cdktf App",
          fix: "Reference objects created in the same App (objects of other apps can be referenced by name with the fromXxxName importers).",
        },
      ]);
    }
    if (here !== there) {
      here.addDependency(there);
      return [];
    }
    const apply = this.stackResources.applyOf(dependency);
    return apply ? [apply] : [];
  }

  /**
   * Finishes construction: throws the collected issues, checks the encoded size, registers the
   * object under its name and creates its apply resource.
   */
  protected provision(
    issues: IssueCollector,
    spec: ObjectSpec,
    dependencies: readonly { construct: IConstruct; property: string }[],
  ): void {
    const subject = () => this.subject;
    issues.throwIfAny(subject);
    const encoded = encodeSpec(spec);
    checkSpecSize(issues, encoded);
    issues.throwIfAny(subject);
    this.stackResources.registerOwned(this.kind, spec.name, this, subject);
    const dependsOn: TerraformResource[] = DEPENDENCY_KINDS[this.kind].map((kind) =>
      this.stackResources.lifecycle(kind),
    );
    for (const { construct, property } of dependencies)
      dependsOn.push(...this.orderAfter(construct, property));
    this.stackResources.createApply(this, encoded, specDigest(encoded), dependsOn);
  }
}
