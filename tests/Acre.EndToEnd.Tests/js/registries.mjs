// A registry's life through @azure/arm-containerregistry: create, read, update, list, credentials, usages, delete.
import assert from "node:assert/strict";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { armScope, credential, port, resourceManager, subscriptionId } from "./acre.mjs";

const group = "sdkjs";
const name = "sdkjsregistry";
const azure = credential();
const client = new ContainerRegistryManagementClient(azure, subscriptionId, {
    endpoint: resourceManager,
    credentials: { scopes: [armScope] },
});

// The JS ARM client for resource groups is another package; a plain request with the same token will do.
async function arm(method, path, body) {
    const token = await azure.getToken(armScope);
    const response = await fetch(new URL(`${path}?api-version=2021-04-01`, resourceManager), {
        method,
        headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
        body: body && JSON.stringify(body),
    });
    return response.status;
}

async function names(iterator) {
    const found = [];
    for await (const registry of iterator) {
        found.push(registry.name);
    }
    return found;
}

async function availability() {
    return client.registries.checkNameAvailability({ name, type: "Microsoft.ContainerRegistry/registries" });
}

// A group of its own, so that listing by group shows exactly this registry.
assert.equal(await arm("PUT", `/subscriptions/${subscriptionId}/resourcegroups/${group}`, { location: "westus" }), 201);
assert.equal((await availability()).nameAvailable, true);

// Create: PUT answers 201 with Azure-AsyncOperation, and the SDK's poller follows it to the end.
const created = await client.registries.beginCreateAndWait(group, name, {
    location: "westus",
    sku: { name: "Basic" },
    tags: { stage: "created" },
    adminUserEnabled: false,
});
assert.equal(created.name, name);
assert.equal(created.provisioningState, "Succeeded");
assert.equal(created.loginServer, `${name}.azurecr.localhost:${port}`);
assert.equal(created.sku.name, "Basic");
assert.deepEqual(created.tags, { stage: "created" });

const taken = await availability();
assert.equal(taken.nameAvailable, false);
assert.equal(taken.reason, "AlreadyExists");

const fetched = await client.registries.get(group, name);
assert.equal(fetched.id, created.id);
assert.equal(fetched.adminUserEnabled, false);

// Update: PATCH, polled the same way.
const updated = await client.registries.beginUpdateAndWait(group, name, {
    tags: { stage: "updated", owner: "js" },
    adminUserEnabled: true,
});
assert.deepEqual(updated.tags, { stage: "updated", owner: "js" });
assert.equal(updated.adminUserEnabled, true);
assert.equal((await client.registries.get(group, name)).adminUserEnabled, true);

const inSubscription = await names(client.registries.list());
assert.ok(inSubscription.includes(name) && inSubscription.includes("local"), inSubscription.join());
assert.deepEqual(await names(client.registries.listByResourceGroup(group)), [name]);
assert.ok((await names(client.registries.listByResourceGroup("acre"))).includes("local"));

// The admin credentials: regenerating password2 leaves password as it was.
const credentials = await client.registries.listCredentials(group, name);
assert.equal(credentials.username, name);
assert.deepEqual(credentials.passwords.map(p => p.name), ["password", "password2"]);
const before = value => credentials.passwords.find(p => p.name === value).value;
const regenerated = await client.registries.regenerateCredential(group, name, { name: "password2" });
const after = value => regenerated.passwords.find(p => p.name === value).value;
assert.equal(after("password"), before("password"));
assert.notEqual(after("password2"), before("password2"));

const usages = await client.registries.listUsages(group, name);
assert.ok(usages.value.some(u => u.name === "Size" && u.unit === "Bytes"), JSON.stringify(usages));

// Delete: 202 with Location and Azure-AsyncOperation; afterwards ARM's 404 and the name is free again.
await client.registries.beginDeleteAndWait(group, name);
await assert.rejects(client.registries.get(group, name), error => {
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, "ResourceNotFound");
    return true;
});
assert.equal((await availability()).nameAvailable, true);
assert.deepEqual(await names(client.registries.listByResourceGroup(group)), []);

assert.equal(await arm("DELETE", `/subscriptions/${subscriptionId}/resourcegroups/${group}`), 202);
console.log(`registries: ${name} created, read, updated, listed, its credentials rotated, and deleted`);
