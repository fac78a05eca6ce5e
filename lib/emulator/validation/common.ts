/**
 * Checks shared by every create/update body: the optional `organization_id` and `policies` fields.
 */
import { forbidden, unprocessable } from "../errors";
import type { OrgState } from "../records";

/** An API key acts in its own organization only. */
export function checkOrganization(org: OrgState, organizationId: string | undefined): void {
  if (organizationId !== undefined && organizationId !== org.id) {
    throw forbidden(
      `organization_id ${organizationId} is not the organization of this API key (${org.id})`,
    );
  }
}

/** The emulator has no permission policies, so any policy id names a missing policy. */
export function checkPolicies(policies: readonly string[] | undefined): string[] {
  if (policies !== undefined && policies.length > 0) {
    throw unprocessable(`policy ${policies[0]} not found`, { field: "policies" });
  }
  return [];
}
