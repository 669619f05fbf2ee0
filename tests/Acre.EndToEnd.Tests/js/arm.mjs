// What the scripts of a registry's children share: the ARM client of @azure/arm-containerregistry, a resource group
// and a registry of their own, ARM's errors, and plain data-plane requests to a registry's login server.
import assert from "node:assert/strict";
import https from "node:https";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { clientOptions, registryEndpoint } from "./acr.mjs";
import { armScope, credential, resourceManager, subscriptionId } from "./acre.mjs";

const azure = credential();

export const client = new ContainerRegistryManagementClient(azure, subscriptionId, {
    endpoint: resourceManager,
    credentials: { scopes: [armScope] },
});

/** A resource group through a plain ARM request: the JS client for groups is another package. */
export async function createGroup(group) {
    const token = await azure.getToken(armScope);
    const response = await fetch(
        new URL(`/subscriptions/${subscriptionId}/resourcegroups/${group}?api-version=2021-04-01`, resourceManager),
        {
            method: "PUT",
            headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
            body: JSON.stringify({ location: "westus" }),
        });
    assert.ok(response.ok, `creating group ${group}: ${response.status}`);
}

/** A group and a registry in it; returns the registry as the SDK read it back. */
export async function createRegistry(group, name, sku, properties = {}) {
    await createGroup(group);
    return client.registries.beginCreateAndWait(group, name, { location: "westus", sku: { name: sku }, ...properties });
}

/** The resource id of a registry's child, as scopeMapId, tokenId and parent ids name it. */
export function childId(group, registry, kind, name) {
    return `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/Microsoft.ContainerRegistry` +
        `/registries/${registry}/${kind}/${name}`;
}

export async function names(iterator) {
    const found = [];
    for await (const item of iterator) {
        found.push(item.name);
    }
    return found;
}

/** The promise fails with ARM's status and error code. */
export async function assertArmError(promise, status, code, what) {
    await assert.rejects(promise, error => {
        assert.equal(error.statusCode, status, `${what}: ${error}`);
        assert.equal(error.code, code, `${what}: ${error}`);
        return true;
    }, what);
}

/** The status of a data-plane GET at a registry's login server with Basic credentials. */
export function dataPlaneStatus(registry, path, username, password) {
    const basic = Buffer.from(`${username}:${password}`).toString("base64");
    return new Promise((resolve, reject) => {
        const request = https.get(new URL(path, registryEndpoint(registry)),
            { agent: clientOptions.agent, headers: { authorization: `Basic ${basic}` } },
            response => {
                response.resume();
                response.on("end", () => resolve(response.statusCode));
            });
        request.on("error", reject);
    });
}
