import type { IConstruct } from "constructs";
import type { PolytomicSettingsProps } from "./settings";
import { PolytomicStackResources } from "./stack-resources";

/**
 * Stack-wide settings for Polytomic objects. Every setting has a default; configuring is optional.
 *
 * @example
 * PolytomicSettings.configure(stack, { apiUrl: "https://polytomic.internal.example.com" });
 */
export class PolytomicSettings {
  /**
   * Configures the stack that contains `scope`. Call it at most once per stack, before creating the
   * stack's first Polytomic construct. A stack that keeps its settings while all its Polytomic
   * constructs are removed deletes their objects on the next deploy.
   */
  static configure(scope: IConstruct, props: PolytomicSettingsProps = {}): void {
    PolytomicStackResources.configure(scope, props);
  }

  private constructor() {}
}
