// Private endpoint connections through @azure/arm-containerregistry: Premium only; create or update, get, list and
// delete, each shown in the registry's privateEndpointConnections, beside the registry's private link resources.
import assert from "node:assert/strict";
import { assertArmError, client, createRegistry, names } from "./arm.mjs";
import { subscriptionId } from "./acre.mjs";

const group = "sdkprivate";
const registry = "sdkprivatereg";
const endpointId =
    `/subscriptions/${subscriptionId}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`;
const connection = status => ({
    privateEndpoint: { id: endpointId },
    privateLinkServiceConnectionState: { status, description: `${status} by the SDK test` },
});

await createRegistry(group, "sdkprivbasic", "Basic");
await assertArmError(client.privateEndpointConnections.beginCreateOrUpdateAndWait(group, "sdkprivbasic", "pe1",
    connection("Approved")), 400, "SkuNotSupported", "a private endpoint on a Basic registry");

await createRegistry(group, registry, "Premium");

const pending = await client.privateEndpointConnections.beginCreateOrUpdateAndWait(group, registry, "pe1",
    connection("Pending"));
assert.equal(pending.name, "pe1");
assert.equal(pending.privateEndpoint.id, endpointId);
assert.equal(pending.privateLinkServiceConnectionState.status, "Pending");
assert.equal(pending.provisioningState, "Succeeded");

// Approval is an update of the same connection.
const approved = await client.privateEndpointConnections.beginCreateOrUpdateAndWait(group, registry, "pe1",
    connection("Approved"));
assert.equal(approved.privateLinkServiceConnectionState.status, "Approved");
assert.equal(approved.privateLinkServiceConnectionState.description, "Approved by the SDK test");
const fetched = await client.privateEndpointConnections.get(group, registry, "pe1");
assert.equal(fetched.privateLinkServiceConnectionState.status, "Approved");
assert.deepEqual(await names(client.privateEndpointConnections.list(group, registry)), ["pe1"]);

// The registry shows its connections.
const shown = (await client.registries.get(group, registry)).privateEndpointConnections;
assert.deepEqual(shown.map(c => [c.name, c.privateLinkServiceConnectionState.status]), [["pe1", "Approved"]]);

// Its private link resource: the registry group, with the regional data member.
const resources = [];
for await (const resource of client.registries.listPrivateLinkResources(group, registry)) {
    resources.push(resource);
}
assert.deepEqual(resources.map(r => r.name), ["registry"]);
const resource = await client.registries.getPrivateLinkResource(group, registry, "registry");
assert.equal(resource.properties.groupId, "registry");
assert.ok(resource.properties.requiredMembers.includes("registry"), JSON.stringify(resource));

await assertArmError(client.registries.beginUpdateAndWait(group, registry, { sku: { name: "Basic" } }), 400,
    "SkuNotSupported", "a downgrade of a registry with a private endpoint");

await client.privateEndpointConnections.beginDeleteAndWait(group, registry, "pe1");
await assertArmError(client.privateEndpointConnections.get(group, registry, "pe1"), 404, "ResourceNotFound",
    "a deleted connection");
assert.deepEqual((await client.registries.get(group, registry)).privateEndpointConnections, []);

console.log("private endpoint connections: refused on Basic, created, approved, shown on the registry and deleted");
