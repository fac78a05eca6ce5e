import type { IConstruct } from "./cdktf";
import type { PolytomicSettingsProps } from "./settings";
import { PolytomicStackResources } from "./stack-resources";

/** Stack-wide settings for Polytomic objects. Every setting has a default; configuring is optional. */
export class PolytomicSettings {
  /**
   * Configures the stack that contains `scope`. Call it at most once per stack, before creating the
   * stack's first Polytomic construct.
   */
  static configure(scope: IConstruct, props: PolytomicSettingsProps): void {
    PolytomicStackResources.configure(scope, props);
  }

  private constructor() {}
}
