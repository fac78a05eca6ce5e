/**
 * Which framework the constructs use: the stack's own, found from jsii's type information on its
 * class. Unsupported versions and scopes outside any framework's stack are one-line errors. (A
 * real cdktf 0.20.12 app gets the same version error, measured; cdktn apps are in test/cdktn.)
 */
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { SalesforceConnection } from "../../lib";
import { frameworkOf } from "../../lib/constructs/framework";
import { testApp } from "../support/synth";

const RTTI: unique symbol = Symbol.for("jsii.rtti");
const STACK_MARK: unique symbol = Symbol.for("cdktf/TerraformStack");

function salesforce(scope: Construct) {
  return new SalesforceConnection(scope, "Salesforce", {
    name: "CRM",
    domain: "crm.my.salesforce.com",
  });
}

test("a cdktf stack's constructs use the cdktf module the app loaded", () => {
  const stack = new TerraformStack(testApp(), "routed");
  const { framework } = frameworkOf(salesforce(stack));
  expect(framework).toMatchObject({ name: "cdktf", version: "0.21.0" });
  expect(framework.core.TerraformStack).toBe(TerraformStack);
  expect(JSON.parse(Testing.synth(stack)).resource.terraform_data).toBeDefined();
});

test("an unsupported framework version fails with the version found, the range and the fix", () => {
  class OldStack extends TerraformStack {
    static readonly [RTTI] = { fqn: "cdktf.TerraformStack", version: "0.20.12" };
  }
  expect(() => salesforce(new OldStack(testApp(), "old"))).toThrow(
    new Error(
      "cdktf-polytomic: found cdktf 0.20.12, but it supports cdktf >=0.21.0 <0.22.0 or cdktn >=0.24.0 <0.25.0: run npm install cdktf@^0.21.0 cdktf-cli@^0.21.0.",
    ),
  );
  class NewStack extends TerraformStack {
    static readonly [RTTI] = { fqn: "cdktn.TerraformStack", version: "0.25.1" };
  }
  expect(() => salesforce(new NewStack(testApp(), "new"))).toThrow(
    /^cdktf-polytomic: found cdktn 0\.25\.1, but it supports .*: run npm install cdktn@\^0\.24\.0 cdktn-cli@\^0\.24\.0\.$/,
  );
});

test("a user's subclass of TerraformStack is its framework's stack", () => {
  class MyStack extends TerraformStack {}
  expect(frameworkOf(salesforce(new MyStack(testApp(), "mine"))).framework.name).toBe("cdktf");
});

test("a construct outside any stack fails naming it and how to make a stack", () => {
  expect(() => salesforce(new App())).toThrow(
    new Error(
      'cdktf-polytomic: SalesforceConnection "Salesforce" is not inside a TerraformStack: create it in a stack (new TerraformStack(app, "name")) of cdktf >=0.21.0 <0.22.0 or cdktn >=0.24.0 <0.25.0.',
    ),
  );
});

test("a stack of neither framework fails naming it", () => {
  class Imitation extends Construct {
    readonly [STACK_MARK] = true;
  }
  expect(() => salesforce(new Imitation(new App(), "fake"))).toThrow(
    /^cdktf-polytomic: stack "fake" is a TerraformStack of neither cdktf nor cdktn \(.*\): create it with TerraformStack from cdktf .* or cdktn .*\.$/,
  );
});
