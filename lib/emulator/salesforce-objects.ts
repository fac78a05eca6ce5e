/**
 * The Salesforce objects an emulated Salesforce connection exposes as sync targets: Contact, Lead
 * and Account with their common standard fields, shaped as Polytomic's `TargetField`
 * (`GET /api/connections/{id}/modelsync/target/fields`). Flags follow Salesforce's describe
 * results: `Id` is neither createable nor updateable; lookup-capable fields may serve as a sync's
 * identity with the functions listed.
 */
import type { TargetField } from "./target-objects";

type FieldKind =
  | "id"
  | "string"
  | "email"
  | "phone"
  | "url"
  | "textarea"
  | "picklist"
  | "reference"
  | "int"
  | "currency"
  | "date"
  | "boolean";

const POLYTOMIC_TYPE: Record<FieldKind, string> = {
  id: "string",
  string: "string",
  email: "string",
  phone: "string",
  url: "string",
  textarea: "string",
  picklist: "string",
  reference: "string",
  int: "number",
  currency: "number",
  date: "datetime",
  boolean: "boolean",
};

interface FieldOptions {
  readonly required?: boolean;
  readonly identity?: readonly string[];
}

function field(id: string, name: string, kind: FieldKind, options: FieldOptions = {}): TargetField {
  const writable = kind !== "id";
  return {
    id,
    name,
    type: POLYTOMIC_TYPE[kind],
    source_type: kind,
    required: options.required ?? false,
    createable: writable,
    updateable: writable,
    filterable: true,
    association: kind === "reference",
    supports_identity: options.identity !== undefined,
    identity_functions: [...(options.identity ?? [])],
  };
}

const BY_ID = ["Equality"];
const BY_TEXT = ["Equality", "ISubstring"];
const BY_WEBSITE = ["Equality", "DomainMatch", "HostnameMatch"];

export interface SalesforceObject {
  readonly id: string;
  readonly name: string;
  readonly fields: readonly TargetField[];
}

export const SALESFORCE_OBJECTS: readonly SalesforceObject[] = [
  {
    id: "Contact",
    name: "Contact",
    fields: [
      field("Id", "Contact ID", "id", { identity: BY_ID }),
      field("Email", "Email", "email", { identity: BY_TEXT }),
      field("FirstName", "First Name", "string"),
      field("LastName", "Last Name", "string", { required: true }),
      field("Salutation", "Salutation", "picklist"),
      field("Title", "Title", "string"),
      field("Department", "Department", "string"),
      field("Phone", "Business Phone", "phone"),
      field("MobilePhone", "Mobile Phone", "phone"),
      field("AccountId", "Account ID", "reference"),
      field("OwnerId", "Owner ID", "reference"),
      field("LeadSource", "Lead Source", "picklist"),
      field("Description", "Contact Description", "textarea"),
      field("Birthdate", "Birthdate", "date"),
      field("MailingStreet", "Mailing Street", "textarea"),
      field("MailingCity", "Mailing City", "string"),
      field("MailingState", "Mailing State/Province", "string"),
      field("MailingPostalCode", "Mailing Zip/Postal Code", "string"),
      field("MailingCountry", "Mailing Country", "string"),
      field("HasOptedOutOfEmail", "Email Opt Out", "boolean"),
      field("DoNotCall", "Do Not Call", "boolean"),
    ],
  },
  {
    id: "Lead",
    name: "Lead",
    fields: [
      field("Id", "Lead ID", "id", { identity: BY_ID }),
      field("Email", "Email", "email", { identity: BY_TEXT }),
      field("FirstName", "First Name", "string"),
      field("LastName", "Last Name", "string", { required: true }),
      field("Company", "Company", "string", { required: true }),
      field("Status", "Lead Status", "picklist"),
      field("Title", "Title", "string"),
      field("Phone", "Phone", "phone"),
      field("MobilePhone", "Mobile Phone", "phone"),
      field("LeadSource", "Lead Source", "picklist"),
      field("Industry", "Industry", "picklist"),
      field("Rating", "Rating", "picklist"),
      field("Website", "Website", "url"),
      field("NumberOfEmployees", "Employees", "int"),
      field("AnnualRevenue", "Annual Revenue", "currency"),
      field("Description", "Description", "textarea"),
      field("OwnerId", "Owner ID", "reference"),
      field("Street", "Street", "textarea"),
      field("City", "City", "string"),
      field("State", "State/Province", "string"),
      field("PostalCode", "Zip/Postal Code", "string"),
      field("Country", "Country", "string"),
      field("HasOptedOutOfEmail", "Email Opt Out", "boolean"),
    ],
  },
  {
    id: "Account",
    name: "Account",
    fields: [
      field("Id", "Account ID", "id", { identity: BY_ID }),
      field("Name", "Account Name", "string", { required: true, identity: BY_TEXT }),
      field("AccountNumber", "Account Number", "string", { identity: BY_ID }),
      field("Website", "Website", "url", { identity: BY_WEBSITE }),
      field("Industry", "Industry", "picklist"),
      field("Type", "Account Type", "picklist"),
      field("Phone", "Account Phone", "phone"),
      field("NumberOfEmployees", "Employees", "int"),
      field("AnnualRevenue", "Annual Revenue", "currency"),
      field("Rating", "Account Rating", "picklist"),
      field("Site", "Account Site", "string"),
      field("Description", "Account Description", "textarea"),
      field("ParentId", "Parent Account ID", "reference"),
      field("OwnerId", "Owner ID", "reference"),
      field("BillingStreet", "Billing Street", "textarea"),
      field("BillingCity", "Billing City", "string"),
      field("BillingState", "Billing State/Province", "string"),
      field("BillingPostalCode", "Billing Zip/Postal Code", "string"),
      field("BillingCountry", "Billing Country", "string"),
      field("ShippingCity", "Shipping City", "string"),
      field("ShippingCountry", "Shipping Country", "string"),
    ],
  },
];
