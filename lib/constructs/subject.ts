import type { IConstruct } from "constructs";

/** How a construct is named in error messages: `ModelSync "stack/ContactsSync"`. */
export function subjectOf(typeName: string, construct: IConstruct): string {
  return `${typeName} ${JSON.stringify(construct.node.path)}`;
}
