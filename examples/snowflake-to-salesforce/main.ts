/**
 * The demo app. Deploy with `cdktf deploy` with, in the environment: POLYTOMIC_API_KEY,
 * SNOWFLAKE_PASSWORD, and POLYTOMIC_API_URL to target the emulator or an on-premises deployment.
 */
import { App } from "cdktf";
import { SnowflakeToSalesforce } from "./stack";

const app = new App();
new SnowflakeToSalesforce(app, "snowflake-to-salesforce");
app.synth();
