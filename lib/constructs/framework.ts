/**
 * The framework of the stack a construct is added to: CDK for Terraform (`cdktf`) or CDK Terrain
 * (`cdktn`), and the one module through which the constructs reach either. The library's
 * resources are created with the classes of that stack's own framework module, never with a copy
 * of the library's own: a cdktf 0.21 element in a cdktn 0.24 stack crashes its synth (measured),
 * and loading a framework the app does not use would put two in one process for nothing. So
 * nothing here imports a framework at run time; the types below are cdktf 0.21's, whose API
 * cdktn 0.24 keeps, and they never reach the public declarations (see index.d.ts).
 */
import type * as Core from "cdktf";
import type { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import type { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
import type { IConstruct } from "constructs";
import { dirname, join } from "node:path";

export type {
  IResolvable,
  LocalExecProvisioner,
  TerraformIterator,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
} from "cdktf";
export type { ISynthesisSession } from "cdktf/lib/synthesize/types";

/**
 * Anything Terraform can wait for: a resource, a data source, a module. cdktf's and cdktn's
 * `ITerraformDependable` both have this shape, so either framework's values fit.
 */
export interface ITerraformDependable {
  /** The element's address in the configuration, e.g. `aws_s3_bucket.logs`. */
  readonly fqn: string;
}

export type FrameworkName = "cdktf" | "cdktn";

export interface Framework {
  readonly name: FrameworkName;
  readonly version: string;
  /** The framework's entry module. */
  readonly core: typeof Core;
  /** How the framework's own assets write files into the synthesized stack directory. */
  readonly addCustomSynthesis: typeof addCustomSynthesis;
  /** The framework's own check (used by its DataResource): Terraform on PATH, at least a version. */
  readonly ValidateTerraformVersion: typeof ValidateTerraformVersion;
}

/** The minor line of each framework the library is tested with (0.x minors break APIs). */
const SUPPORTED: Record<FrameworkName, { readonly minor: string; readonly range: string }> = {
  cdktf: { minor: "0.21", range: ">=0.21.0 <0.22.0" },
  cdktn: { minor: "0.24", range: ">=0.24.0 <0.25.0" },
};
const SUPPORTED_TEXT = `cdktf ${SUPPORTED.cdktf.range} or cdktn ${SUPPORTED.cdktn.range}`;
const INSTALL: Record<FrameworkName, string> = {
  cdktf: "npm install cdktf@^0.21.0 cdktf-cli@^0.21.0",
  cdktn: "npm install cdktn@^0.24.0 cdktn-cli@^0.24.0",
};

/** jsii's type information on each class: `{ fqn: "cdktn.TerraformStack", version: "0.24.0" }`. */
const RTTI = Symbol.for("jsii.rtti");
/** Both frameworks mark their stacks and elements with these (cdktn kept cdktf's names). */
const STACK = Symbol.for("cdktf/TerraformStack");
const ELEMENT = Symbol.for("cdktf/TerraformElement");

interface Rtti {
  readonly fqn: string;
  readonly version: string;
}
type Class = abstract new (...args: never[]) => unknown;

interface FrameworkClass {
  readonly name: FrameworkName;
  readonly version: string;
  readonly cls: Class;
}

/** The nearest class of `object`'s prototype chain that jsii names `<cdktf|cdktn>.<type>`. */
function frameworkClass(object: object, type: string): FrameworkClass | undefined {
  for (let proto = Object.getPrototypeOf(object); proto; proto = Object.getPrototypeOf(proto)) {
    const cls = proto.constructor as Class & { [RTTI]?: Rtti };
    // Own property only: a user's subclass inherits the static from the framework's class.
    if (!Object.prototype.hasOwnProperty.call(cls, RTTI)) continue;
    const [name, typeName] = cls[RTTI]!.fqn.split(".");
    if ((name === "cdktf" || name === "cdktn") && typeName === type)
      return { name, version: cls[RTTI]!.version, cls };
  }
  return undefined;
}

/** The framework (and its version) of the class of `object`, for messages. */
function frameworkOfElement(object: object): string | undefined {
  for (let proto = Object.getPrototypeOf(object); proto; proto = Object.getPrototypeOf(proto)) {
    const cls = proto.constructor as Class & { [RTTI]?: Rtti };
    if (!Object.prototype.hasOwnProperty.call(cls, RTTI)) continue;
    const name = cls[RTTI]!.fqn.split(".")[0];
    if (name === "cdktf" || name === "cdktn") return `${name} ${cls[RTTI]!.version}`;
  }
  return undefined;
}

/**
 * The entry module that defines `cls`, found where the app, the working directory or this package
 * resolve the framework; a module resolved there but not yet loaded is a different copy, which the
 * identity check rejects.
 */
function entryModuleOf(name: FrameworkName, cls: Class): { exports: typeof Core; file: string } {
  for (const base of [require.main?.path, process.cwd(), __dirname]) {
    if (!base) continue;
    let file: string;
    try {
      file = require.resolve(name, { paths: [base] });
    } catch {
      continue;
    }
    const exports = load(file) as unknown as typeof Core;
    if (exports.TerraformStack === cls) return { exports, file };
  }
  for (const file of Object.keys(require.cache)) {
    if (!file.endsWith(join(name, "lib", "index.js"))) continue;
    const exports = require.cache[file]?.exports as typeof Core | undefined;
    if (exports?.TerraformStack === cls) return { exports, file };
  }
  throw new Error(
    `cdktf-polytomic: the stack's TerraformStack comes from a copy of ${name} that Node cannot find from the app (${require.main?.path ?? process.cwd()}): install ${name} in the app's project (${INSTALL[name]}) and load it with require or import, not from a bundle.`,
  );
}

/**
 * Node's (or Jest's) `require` of an absolute path: the framework is the app's, found at run time,
 * so it cannot be imported; and it must be the loader the app used, or it would be another copy.
 */
function load(file: string): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file);
}

const frameworks = new WeakMap<Class, Framework>();
const checkedStacks = new WeakSet<IConstruct>();

function frameworkOfStackClass(found: FrameworkClass): Framework {
  const known = frameworks.get(found.cls);
  if (known) return known;
  const { name, version, cls } = found;
  const [major, minor] = version.split(".");
  if (`${major}.${minor}` !== SUPPORTED[name].minor) {
    throw new Error(
      `cdktf-polytomic: found ${name} ${version}, but it supports ${SUPPORTED_TEXT}: run ${INSTALL[name]}.`,
    );
  }
  const entry = entryModuleOf(name, cls);
  const root = dirname(dirname(entry.file)); // <root>/lib/index.js
  const framework: Framework = {
    name,
    version,
    core: entry.exports,
    addCustomSynthesis: load(join(root, "lib", "synthesize", "synthesizer.js"))
      .addCustomSynthesis as Framework["addCustomSynthesis"],
    ValidateTerraformVersion: load(
      join(root, "lib", "validations", "validate-terraform-version.js"),
    ).ValidateTerraformVersion as Framework["ValidateTerraformVersion"],
  };
  frameworks.set(cls, framework);
  return framework;
}

/** The innermost stack holding `scope`, found by the mark both frameworks put on stacks. */
function stackHolding(scope: IConstruct, what: string): IConstruct {
  const scopes = scope.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) if (STACK in scopes[i]) return scopes[i];
  throw new Error(
    `cdktf-polytomic: ${what} ${JSON.stringify(scope.node.path)} is not inside a TerraformStack: create it in a stack (new TerraformStack(app, "name")) of ${SUPPORTED_TEXT}.`,
  );
}

/**
 * The framework of `scope`'s stack and that stack; `what` names the construct in errors. The
 * first call for a stack also arranges that its elements are checked at synth. (The App's
 * framework may be the other one: a cdktn stack in a cdktf App synthesizes, and the reverse too,
 * measured with one constructs shared.)
 */
export function frameworkOf(
  scope: IConstruct,
  what = "construct",
): { readonly framework: Framework; readonly stack: Core.TerraformStack } {
  const stack = stackHolding(scope, what);
  const found = frameworkClass(stack, "TerraformStack");
  if (!found) {
    throw new Error(
      `cdktf-polytomic: stack ${JSON.stringify(stack.node.path)} is a TerraformStack of neither cdktf nor cdktn (its class carries no jsii type information naming either): create it with TerraformStack from ${SUPPORTED_TEXT}.`,
    );
  }
  const framework = frameworkOfStackClass(found);
  if (!checkedStacks.has(stack)) {
    checkedStacks.add(stack);
    rejectForeignElementsAtSynth(stack, framework);
  }
  return { framework, stack: stack as Core.TerraformStack };
}

/** Elements of another framework in `stack` (not in its nested stacks). */
function foreignElements(stack: IConstruct, framework: Framework): string[] {
  const problems: string[] = [];
  const visit = (construct: IConstruct): void => {
    const other = ELEMENT in construct ? frameworkOfElement(construct) : undefined;
    if (other && !other.startsWith(`${framework.name} `)) {
      problems.push(
        `cdktf-polytomic: ${JSON.stringify(construct.node.path)} is a ${other} construct in the ${framework.name} ${framework.version} stack ${JSON.stringify(stack.node.path)}, which cannot synthesize it: create it with the classes of ${framework.name} (import from "${framework.name}"; for prebuilt providers use their ${framework.name} packages).`,
      );
    }
    for (const child of construct.node.children) if (!(STACK in child)) visit(child);
  };
  visit(stack);
  return problems;
}

/**
 * A cdktf element in a cdktn stack cannot work: cdktn's synth calls a method cdktf elements lack
 * (`_resetResolveDiscoveredProviderFeatureUsage is not a function`) before any validation runs, so
 * the check runs at the start of that pass. (A cdktn element in a cdktf stack synthesizes, measured.)
 */
function rejectForeignElementsAtSynth(stack: IConstruct, framework: Framework): void {
  const target = stack as unknown as Record<string, unknown>;
  const pass = target._runPreparingResolve;
  if (framework.name !== "cdktn" || typeof pass !== "function") return;
  target._runPreparingResolve = function (this: unknown, ...args: unknown[]) {
    const problems = foreignElements(stack, framework);
    if (problems.length > 0) throw new Error(problems.join("\n"));
    return pass.apply(this, args);
  };
}
