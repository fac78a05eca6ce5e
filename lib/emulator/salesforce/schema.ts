/**
 * The standard objects an emulated Salesforce holds — Contact, Lead and Account — with their
 * common standard fields as Salesforce describes them: type, length, whether a create must set
 * them (`required`: not nillable and no default), which object a reference points at, and which
 * fields can match records (identity) with which functions.
 */

export type FieldKind =
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

export interface SalesforceField {
  readonly id: string;
  readonly label: string;
  readonly kind: FieldKind;
  /** Maximum length of text kinds. */
  readonly length?: number;
  readonly required: boolean;
  /** For references: the object the id points at (`User` for owners). */
  readonly references?: string;
  /** Identity functions this field can match records with; absent: not an identity. */
  readonly identity?: readonly string[];
}

export interface SalesforceObjectSchema {
  readonly id: string;
  readonly label: string;
  /** The three characters every record id of the object starts with. */
  readonly idPrefix: string;
  readonly fields: readonly SalesforceField[];
}

interface Options {
  readonly length?: number;
  readonly required?: boolean;
  readonly identity?: readonly string[];
  readonly references?: string;
}

function field(id: string, label: string, kind: FieldKind, options: Options = {}): SalesforceField {
  return {
    id,
    label,
    kind,
    required: options.required ?? false,
    ...(options.length !== undefined && { length: options.length }),
    ...(options.references !== undefined && { references: options.references }),
    ...(options.identity !== undefined && { identity: options.identity }),
  };
}

const BY_ID = ["Equality"];
const BY_TEXT = ["Equality", "ISubstring"];
const BY_WEBSITE = ["Equality", "DomainMatch", "HostnameMatch"];

const text = (id: string, label: string, length: number, options: Options = {}) =>
  field(id, label, "string", { ...options, length });
const picklist = (id: string, label: string) => field(id, label, "picklist", { length: 255 });
const owner = () => field("OwnerId", "Owner ID", "reference", { length: 18, references: "User" });

export const SALESFORCE_SCHEMA: readonly SalesforceObjectSchema[] = [
  {
    id: "Contact",
    label: "Contact",
    idPrefix: "003",
    fields: [
      field("Id", "Contact ID", "id", { length: 18, identity: BY_ID }),
      field("Email", "Email", "email", { length: 80, identity: BY_TEXT }),
      text("FirstName", "First Name", 40),
      text("LastName", "Last Name", 80, { required: true }),
      field("Salutation", "Salutation", "picklist", { length: 40 }),
      text("Title", "Title", 128),
      text("Department", "Department", 80),
      field("Phone", "Business Phone", "phone", { length: 40 }),
      field("MobilePhone", "Mobile Phone", "phone", { length: 40 }),
      field("AccountId", "Account ID", "reference", { length: 18, references: "Account" }),
      owner(),
      picklist("LeadSource", "Lead Source"),
      field("Description", "Contact Description", "textarea", { length: 32000 }),
      field("Birthdate", "Birthdate", "date"),
      field("MailingStreet", "Mailing Street", "textarea", { length: 255 }),
      text("MailingCity", "Mailing City", 40),
      text("MailingState", "Mailing State/Province", 80),
      text("MailingPostalCode", "Mailing Zip/Postal Code", 20),
      text("MailingCountry", "Mailing Country", 80),
      field("HasOptedOutOfEmail", "Email Opt Out", "boolean"),
      field("DoNotCall", "Do Not Call", "boolean"),
    ],
  },
  {
    id: "Lead",
    label: "Lead",
    idPrefix: "00Q",
    fields: [
      field("Id", "Lead ID", "id", { length: 18, identity: BY_ID }),
      field("Email", "Email", "email", { length: 80, identity: BY_TEXT }),
      text("FirstName", "First Name", 40),
      text("LastName", "Last Name", 80, { required: true }),
      text("Company", "Company", 255, { required: true }),
      picklist("Status", "Lead Status"),
      text("Title", "Title", 128),
      field("Phone", "Phone", "phone", { length: 40 }),
      field("MobilePhone", "Mobile Phone", "phone", { length: 40 }),
      picklist("LeadSource", "Lead Source"),
      picklist("Industry", "Industry"),
      picklist("Rating", "Rating"),
      field("Website", "Website", "url", { length: 255 }),
      field("NumberOfEmployees", "Employees", "int"),
      field("AnnualRevenue", "Annual Revenue", "currency"),
      field("Description", "Description", "textarea", { length: 32000 }),
      owner(),
      field("Street", "Street", "textarea", { length: 255 }),
      text("City", "City", 40),
      text("State", "State/Province", 80),
      text("PostalCode", "Zip/Postal Code", 20),
      text("Country", "Country", 80),
      field("HasOptedOutOfEmail", "Email Opt Out", "boolean"),
    ],
  },
  {
    id: "Account",
    label: "Account",
    idPrefix: "001",
    fields: [
      field("Id", "Account ID", "id", { length: 18, identity: BY_ID }),
      text("Name", "Account Name", 255, { required: true, identity: BY_TEXT }),
      text("AccountNumber", "Account Number", 40, { identity: BY_ID }),
      field("Website", "Website", "url", { length: 255, identity: BY_WEBSITE }),
      picklist("Industry", "Industry"),
      picklist("Type", "Account Type"),
      field("Phone", "Account Phone", "phone", { length: 40 }),
      field("NumberOfEmployees", "Employees", "int"),
      field("AnnualRevenue", "Annual Revenue", "currency"),
      picklist("Rating", "Account Rating"),
      text("Site", "Account Site", 80),
      field("Description", "Account Description", "textarea", { length: 32000 }),
      field("ParentId", "Parent Account ID", "reference", { length: 18, references: "Account" }),
      owner(),
      field("BillingStreet", "Billing Street", "textarea", { length: 255 }),
      text("BillingCity", "Billing City", 40),
      text("BillingState", "Billing State/Province", 80),
      text("BillingPostalCode", "Billing Zip/Postal Code", 20),
      text("BillingCountry", "Billing Country", 80),
      text("ShippingCity", "Shipping City", 40),
      text("ShippingCountry", "Shipping Country", 80),
    ],
  },
];

export function salesforceObject(id: string): SalesforceObjectSchema | undefined {
  return SALESFORCE_SCHEMA.find((object) => object.id === id);
}

/** The record-id prefix of users: the emulated org has one, the connection's own user. */
export const USER_ID_PREFIX = "005";
