// What the @azure/container-registry scripts share: Acre's data-plane endpoints, client options, test content
// named by the C# test, and checks of the errors the SDK throws.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import https from "node:https";
import { authorityHost, port } from "./acre.mjs";

/** The default registry's data plane, which also answers at the management plane's address. */
export const endpoint = authorityHost;

/** A registry's own login server as ARM gives it, `NAME.azurecr.localhost:PORT`. */
export const registryEndpoint = name => `https://${name}.azurecr.localhost:${port}`;

// Names under .localhost do not resolve everywhere; every host these scripts reach is on loopback, so the agent
// answers the lookup itself and no resolver is ever asked. TLS still verifies the name the client asked for.
function loopback(hostname, options, callback) {
    if (options.all) {
        callback(null, [{ address: "127.0.0.1", family: 4 }]);
    } else {
        callback(null, "127.0.0.1", 4);
    }
}

/** Client options: tokens for Acre's audience (scope `https://localhost:PORT/.default`) and loopback only. */
export const clientOptions = {
    audience: authorityHost,
    agent: new https.Agent({ keepAlive: true, lookup: loopback }),
};

/** Digests of the content the C# test pushed, by name: amd64, arm64, index. */
export const images = JSON.parse(process.env.ACRE_IMAGES ?? "{}");

export async function collect(iterator) {
    const items = [];
    for await (const item of iterator) {
        items.push(item);
    }
    return items;
}

export function sha256(bytes) {
    return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Reads a downloaded blob whole; the SDK checks its digest as the stream ends. */
export async function readAll(stream) {
    const chunks = [];
    for await (const chunk of stream) {
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
}

/** The promise fails with ACR's 405 REGISTRY_DISALLOWED_OPERATION, as a changeable attribute makes it. */
export async function assertDisallowed(promise, what) {
    await assert.rejects(promise, error => {
        assert.equal(error.statusCode, 405, `${what}: ${error}`);
        assert.match(error.response?.bodyAsText ?? "", /REGISTRY_DISALLOWED_OPERATION/, what);
        return true;
    }, what);
}

/** The promise fails with the given status (401 when a caller holds no grant for the operation). */
export async function assertStatus(promise, status, what) {
    await assert.rejects(promise, error => {
        assert.equal(error.statusCode, status, `${what}: ${error}`);
        return true;
    }, what);
}
