// Replications through @azure/arm-containerregistry: Premium only, as in ACR; create, get, update, list and delete,
// with the registry's data endpoints following them and a SKU downgrade refused while one exists.
import assert from "node:assert/strict";
import { assertArmError, client, createRegistry, names } from "./arm.mjs";
import { port } from "./acre.mjs";

const group = "sdkreplicas";
const registry = "sdkreplicasreg";
const dataHost = region => `${registry}.${region}.data.azurecr.localhost:${port}`;

await createRegistry(group, "sdkbasicreg", "Basic");
await assertArmError(client.replications.beginCreateAndWait(group, "sdkbasicreg", "eastus", { location: "eastus" }),
    400, "SkuNotSupported", "a replication of a Basic registry");

await createRegistry(group, registry, "Premium", { dataEndpointEnabled: true });

const created = await client.replications.beginCreateAndWait(group, registry, "eastus", {
    location: "eastus",
    tags: { purpose: "dr" },
    zoneRedundancy: "Enabled",
});
assert.equal(created.name, "eastus");
assert.equal(created.location, "eastus");
assert.equal(created.provisioningState, "Succeeded");
assert.equal(created.regionEndpointEnabled, true);
assert.equal(created.zoneRedundancy, "Enabled");
assert.equal(created.status.displayStatus, "Ready");
assert.deepEqual(created.tags, { purpose: "dr" });

await client.replications.beginCreateAndWait(group, registry, "westeurope",
    { location: "westeurope", regionEndpointEnabled: false });
assert.deepEqual(await names(client.replications.list(group, registry)), ["eastus", "westeurope"]);

// Each region of the registry has its data endpoint.
const replicated = await client.registries.get(group, registry);
assert.deepEqual([...replicated.dataEndpointHostNames].sort(),
    [dataHost("eastus"), dataHost("westeurope"), dataHost("westus")]);

const updated = await client.replications.beginUpdateAndWait(group, registry, "eastus",
    { regionEndpointEnabled: false, tags: { purpose: "reads" } });
assert.equal(updated.regionEndpointEnabled, false);
assert.deepEqual(updated.tags, { purpose: "reads" });
const fetched = await client.replications.get(group, registry, "eastus");
assert.equal(fetched.regionEndpointEnabled, false);
assert.equal(fetched.zoneRedundancy, "Enabled");

// A registry with replications stays Premium until they are gone.
await assertArmError(client.registries.beginUpdateAndWait(group, registry, { sku: { name: "Standard" } }), 400,
    "SkuNotSupported", "a downgrade of a replicated registry");

await client.replications.beginDeleteAndWait(group, registry, "eastus");
await client.replications.beginDeleteAndWait(group, registry, "westeurope");
await assertArmError(client.replications.get(group, registry, "eastus"), 404, "ResourceNotFound",
    "a deleted replication");
assert.deepEqual(await names(client.replications.list(group, registry)), []);
assert.deepEqual((await client.registries.get(group, registry)).dataEndpointHostNames, [dataHost("westus")]);

// The data endpoint is Premium only too, so it goes in the same update.
const downgraded = await client.registries.beginUpdateAndWait(group, registry,
    { sku: { name: "Standard" }, dataEndpointEnabled: false });
assert.equal(downgraded.sku.name, "Standard");

console.log("replications: refused on Basic, created, listed, updated and deleted on Premium, data endpoints followed");
