// A wrong client secret is refused with Entra ID's error. @azure/identity wraps every error the token endpoint
// answers (MSAL's ServerError) in an AuthenticationRequiredError that keeps Entra's text.
import assert from "node:assert/strict";
import { armScope, credential } from "./acre.mjs";

await assert.rejects(credential("not-the-secret").getToken(armScope), error => {
    assert.equal(error.name, "AuthenticationRequiredError", String(error));
    assert.match(error.message, /invalid_client/);
    assert.match(error.message, /AADSTS7000215: Invalid client secret provided/);
    return true;
});
console.log("wrong secret: refused with AADSTS7000215");
