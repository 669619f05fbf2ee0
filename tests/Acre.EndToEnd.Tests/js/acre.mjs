// Acre's address and well-known identity, handed over by the C# test through environment variables.
import { ClientSecretCredential } from "@azure/identity";

function required(name) {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set; run these scripts through the C# tests (NodeScript)`);
    }
    return value;
}

required("NODE_EXTRA_CA_CERTS");

/** The management plane's root, `https://localhost:PORT/`. */
export const resourceManager = required("ACRE_RESOURCE_MANAGER");
export const authorityHost = required("ACRE_AUTHORITY_HOST");
export const tenantId = required("ACRE_TENANT_ID");
export const subscriptionId = required("ACRE_SUBSCRIPTION_ID");
export const clientId = required("ACRE_CLIENT_ID");
export const clientSecret = required("ACRE_CLIENT_SECRET");
export const port = new URL(resourceManager).port;

/** The scope of an ARM token: the resource manager's audience plus `.default`, with a single slash. */
export const armScope = new URL(".default", resourceManager).href;

/** A service principal credential that talks to Acre only: no instance discovery on a public host. */
export function credential(secret = clientSecret) {
    return new ClientSecretCredential(tenantId, clientId, secret, { authorityHost, disableInstanceDiscovery: true });
}
