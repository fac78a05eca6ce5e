/**
 * The Terraform resources behind Polytomic objects, for each engine.
 *
 * Per object, an *apply* resource keyed by the digest of its spec: when the spec changes it is
 * replaced and its create-time provisioner runs `cli.cjs upsert`.
 *
 * Per kind, one *lifecycle* resource with an instance per object (for_each keyed by the object's
 * name), whose destroy-time provisioner runs `cli.cjs delete` with the spec kept in its own state
 * (destroy provisioners may read only `self`). Because the resource block stays in the
 * configuration when an object leaves the code, Terraform runs that provisioner for removed
 * instances too, so the object is deleted rather than orphaned. `create_before_destroy` makes
 * Terraform destroy removed instances only after the objects that depended on them were updated:
 * a renamed connection is deleted after its models were repointed, not before (measured on
 * Terraform 1.11; see DESIGN.md §2.3-2.4).
 *
 * Terraform records a resource in its state *before* running its provisioners, so an apply killed
 * mid-provisioner leaves an apply resource recorded whose upsert never ran. Hence, per object, a
 * *receipt* resource that Terraform creates only after the apply resource's provisioner succeeded,
 * and per stack one *reconcile* resource, replaced whenever a receipt is created, whose provisioner
 * runs `cli.cjs reconcile` with the apply resources to repair: those whose receipt was created in
 * this run although they were created in an earlier one. Apply and receipt resources remember the
 * plan time of their creation (`plantimestamp()`, kept by `ignore_changes`), which is how "in this
 * run" is told apart; it needs Terraform 1.5 or newer.
 *
 * Provisioners exec `node` through `interpreter` with a constant command (the verb): no shell, and
 * no user text in any Terraform expression: addresses are the library's own logical ids.
 */
import type { Verb } from "../core/contract";
import { REPAIR_ENV, RUN_ENV, SPEC_ENV } from "../core/contract";
import type { Construct, LocalExecProvisioner, TerraformResource } from "./cdktf";
import { Lazy, NullResource, TerraformIterator } from "./cdktf";
import type { Engine } from "./settings";
import { TerraformData } from "./terraform-data";

/** Lifecycle entries: lifecycle key -> encoded delete spec. */
export type LifecycleEntries = () => Record<string, { spec: string }>;

/** An object's apply resource and its receipt. */
export interface AppliedObject {
  readonly apply: TerraformResource;
  readonly receipt: TerraformResource;
}

const PLAN_TIME = "${plantimestamp()}";

function provisioner(
  verb: Verb,
  cliPath: string,
  environment?: Record<string, string>,
  when?: "destroy",
): LocalExecProvisioner {
  return {
    type: "local-exec",
    interpreter: ["node", cliPath],
    command: verb,
    ...(environment ? { environment } : {}),
    ...(when ? { when } : {}),
  };
}

const addresses = new WeakMap<TerraformResource, string>();

/**
 * A resource's Terraform address. Dependencies and references between the library's resources
 * are written as plain text rather than as cdktf tokens: each token records a full stack trace when
 * created, which cost a stack of 1000 syncs about a third of its synth (measured).
 */
function address(resource: TerraformResource): string {
  let known = addresses.get(resource);
  if (known === undefined) {
    known = `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
    addresses.set(resource, known);
  }
  return known;
}

function dependingOn<T extends TerraformResource>(
  resource: T,
  dependencies: readonly TerraformResource[],
): T {
  resource.dependsOn = dependencies.map(address);
  return resource;
}

/**
 * The expression that lists the apply resources to repair: created in an earlier run, but with a
 * receipt created in this one. `created` reads a resource's recorded plan time of creation.
 */
function repairExpression(
  objects: readonly AppliedObject[],
  created: (resource: TerraformResource) => string,
): string {
  const pairs = objects.map(
    ({ apply, receipt }) => `"${address(apply)}" = [${created(apply)}, ${created(receipt)}]`,
  );
  return `\${jsonencode([for apply, created in { ${pairs.join(", ")} } : apply if created[1] == plantimestamp() && created[0] != plantimestamp()])}`;
}

export interface EngineResources {
  lifecycle(
    scope: Construct,
    id: string,
    entries: LifecycleEntries,
    dependsOn: readonly TerraformResource[],
  ): TerraformResource;
  apply(
    scope: Construct,
    id: string,
    encodedSpec: string,
    digest: string,
    dependsOn: readonly TerraformResource[],
  ): TerraformResource;
  receipt(scope: Construct, id: string, apply: TerraformResource): TerraformResource;
  reconcile(
    scope: Construct,
    id: string,
    objects: () => readonly AppliedObject[],
  ): TerraformResource;
}

function forEachOf(entries: LifecycleEntries): TerraformIterator {
  return TerraformIterator.fromMap(
    Lazy.anyValue({ produce: entries }) as unknown as Record<string, unknown>,
  );
}

function terraformData(cliPath: string): EngineResources {
  const created = (resource: TerraformResource) => `${address(resource)}.output.created`;
  const remembered = { input: { created: PLAN_TIME }, lifecycle: { ignoreChanges: ["input"] } };
  return {
    lifecycle(scope, id, entries, dependsOn) {
      const each = forEachOf(entries);
      const resource = new TerraformData(scope, id, {
        forEach: each,
        input: { spec: each.getString("spec") },
        lifecycle: { createBeforeDestroy: true },
        provisioners: [
          provisioner("delete", cliPath, { [SPEC_ENV]: "${self.input.spec}" }, "destroy"),
        ],
      });
      return dependingOn(resource, dependsOn);
    },
    apply(scope, id, encodedSpec, digest, dependsOn) {
      const resource = new TerraformData(scope, id, {
        ...remembered,
        triggersReplace: { spec_sha256: digest },
        provisioners: [
          provisioner("upsert", cliPath, { [SPEC_ENV]: encodedSpec, [RUN_ENV]: PLAN_TIME }),
        ],
      });
      return dependingOn(resource, dependsOn);
    },
    receipt(scope, id, apply) {
      return new TerraformData(scope, id, {
        ...remembered,
        triggersReplace: { apply: `\${${address(apply)}.id}` },
      });
    },
    reconcile(scope, id, objects) {
      return new TerraformData(scope, id, {
        triggersReplace: {
          receipts: Lazy.listValue({
            produce: () => objects().map(({ receipt }) => `\${${address(receipt)}.id}`),
          }),
        },
        provisioners: [
          provisioner("reconcile", cliPath, {
            [REPAIR_ENV]: Lazy.stringValue({ produce: () => repairExpression(objects(), created) }),
            [RUN_ENV]: PLAN_TIME,
          }),
        ],
      });
    },
  };
}

function nullResource(cliPath: string): EngineResources {
  const created = (resource: TerraformResource) => `${address(resource)}.triggers.created`;
  const ignoreCreated = { ignoreChanges: ['triggers["created"]'] };
  return {
    lifecycle(scope, id, entries, dependsOn) {
      const each = forEachOf(entries);
      const resource = new NullResource(scope, id, {
        forEach: each,
        triggers: { spec: each.getString("spec") },
        lifecycle: { createBeforeDestroy: true },
        provisioners: [
          provisioner("delete", cliPath, { [SPEC_ENV]: "${self.triggers.spec}" }, "destroy"),
        ],
      });
      return dependingOn(resource, dependsOn);
    },
    apply(scope, id, encodedSpec, digest, dependsOn) {
      const resource = new NullResource(scope, id, {
        triggers: { spec_sha256: digest, created: PLAN_TIME },
        lifecycle: ignoreCreated,
        provisioners: [
          provisioner("upsert", cliPath, { [SPEC_ENV]: encodedSpec, [RUN_ENV]: PLAN_TIME }),
        ],
      });
      return dependingOn(resource, dependsOn);
    },
    receipt(scope, id, apply) {
      return new NullResource(scope, id, {
        triggers: { apply: `\${${address(apply)}.id}`, created: PLAN_TIME },
        lifecycle: ignoreCreated,
      });
    },
    reconcile(scope, id, objects) {
      return new NullResource(scope, id, {
        triggers: {
          receipts: Lazy.stringValue({
            produce: () =>
              `\${join(",", [${objects()
                .map(({ receipt }) => `${address(receipt)}.id`)
                .join(", ")}])}`,
          }),
        },
        provisioners: [
          provisioner("reconcile", cliPath, {
            [REPAIR_ENV]: Lazy.stringValue({ produce: () => repairExpression(objects(), created) }),
            [RUN_ENV]: PLAN_TIME,
          }),
        ],
      });
    },
  };
}

export function engineResources(engine: Engine, cliPath: string): EngineResources {
  return engine === "null_resource" ? nullResource(cliPath) : terraformData(cliPath);
}
