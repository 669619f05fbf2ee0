// Connected registries through @azure/arm-containerregistry: Premium with a data endpoint only; create with a sync
// token, a read-only child and ACR's parent rules, list, deactivate, update and delete.
import assert from "node:assert/strict";
import { assertArmError, childId, client, createRegistry, names } from "./arm.mjs";

const group = "sdkedge";
const registry = "sdkedgereg";
const id = (kind, name) => childId(group, registry, kind, name);
const gateway = name => ["config/read", "config/write", "message/read", "message/write"]
    .map(action => `gateway/${name}/${action}`);
const parent = (token, extra = {}) =>
    ({ ...extra, syncProperties: { tokenId: id("tokens", token), messageTtl: "P2D" } });

// Refused where ACR refuses them: below Premium, and on a Premium registry without its data endpoint.
await createRegistry(group, "sdkedgebasic", "Basic");
await assertArmError(client.connectedRegistries.beginCreateAndWait(group, "sdkedgebasic", "sdkedge",
    { mode: "ReadWrite", parent: parent("none") }), 400, "SkuNotSupported", "a connected registry on Basic");
await createRegistry(group, registry, "Premium");
await assertArmError(client.connectedRegistries.beginCreateAndWait(group, registry, "sdkedge",
    { mode: "ReadWrite", parent: parent("none") }), 400, "DataEndpointDisabled", "one without a data endpoint");
await client.registries.beginUpdateAndWait(group, registry, { dataEndpointEnabled: true });

// Each connected registry syncs with a token whose scope map holds its gateway actions.
for (const [name, actions] of [["sdkedge", ["content/read", "content/write", "metadata/read"]],
    ["sdkleaf", ["content/read", "metadata/read"]]]) {
    await client.scopeMaps.beginCreateAndWait(group, registry, `${name}-sync`,
        { actions: [...actions.map(a => `repositories/app/api/${a}`), ...gateway(name)] });
    await client.tokens.beginCreateAndWait(group, registry, `${name}-sync`,
        { scopeMapId: id("scopeMaps", `${name}-sync`), status: "enabled" });
}
await client.tokens.beginCreateAndWait(group, registry, "sdkclient",
    { scopeMapId: id("scopeMaps", "_repositories_pull"), status: "enabled" });

const edge = await client.connectedRegistries.beginCreateAndWait(group, registry, "sdkedge", {
    mode: "ReadWrite",
    parent: { syncProperties: { tokenId: id("tokens", "sdkedge-sync"), messageTtl: "P2D", schedule: "* * * * *" } },
    logging: { logLevel: "Information", auditLogStatus: "Disabled" },
});
assert.equal(edge.name, "sdkedge");
assert.equal(edge.provisioningState, "Succeeded");
assert.equal(edge.mode, "ReadWrite");
assert.equal(edge.connectionState, "Offline");
assert.equal(edge.activation.status, "Inactive");
assert.equal(edge.parent.id, undefined);
assert.equal(edge.parent.syncProperties.tokenId, id("tokens", "sdkedge-sync"));
assert.equal(edge.parent.syncProperties.messageTtl, "P2D");
assert.equal(edge.logging.logLevel, "Information");

// A child under it; a read-only parent may not have a read-write child.
const leaf = await client.connectedRegistries.beginCreateAndWait(group, registry, "sdkleaf",
    { mode: "ReadOnly", parent: parent("sdkleaf-sync", { id: id("connectedRegistries", "sdkedge") }) });
assert.equal(leaf.mode, "ReadOnly");
assert.equal(leaf.parent.id, id("connectedRegistries", "sdkedge"));
await assertArmError(client.connectedRegistries.beginCreateAndWait(group, registry, "sdkbadleaf",
    { mode: "ReadWrite", parent: parent("sdkleaf-sync", { id: id("connectedRegistries", "sdkleaf") }) }), 400,
    "InvalidConnectedRegistryMode", "a read-write child of a read-only parent");
await assertArmError(client.connectedRegistries.beginCreateAndWait(group, registry, "sdkorphan",
    { mode: "ReadOnly", parent: parent("sdkleaf-sync", { id: id("connectedRegistries", "sdknothere") }) }), 400,
    "InvalidParent", "a child of a parent that does not exist");
await assertArmError(client.connectedRegistries.beginCreateAndWait(group, registry, "sdknottl",
    { mode: "ReadOnly", parent: { syncProperties: { tokenId: id("tokens", "sdkleaf-sync") } } }), 400,
    "InvalidRequestContent", "sync properties without a messageTtl");
assert.deepEqual(await names(client.connectedRegistries.list(group, registry)), ["sdkedge", "sdkleaf"]);

await client.connectedRegistries.beginDeactivateAndWait(group, registry, "sdkedge");
assert.equal((await client.connectedRegistries.get(group, registry, "sdkedge")).activation.status, "Inactive");

await client.connectedRegistries.beginDeleteAndWait(group, registry, "sdkleaf");
await assertArmError(client.connectedRegistries.get(group, registry, "sdkleaf"), 404, "ResourceNotFound",
    "a deleted connected registry");
assert.deepEqual(await names(client.connectedRegistries.list(group, registry)), ["sdkedge"]);

// Update: client tokens, notifications, logging and the sync settings, as ConnectedRegistryUpdateParameters has them.
const updated = await client.connectedRegistries.beginUpdateAndWait(group, registry, "sdkedge", {
    clientTokenIds: [id("tokens", "sdkclient")],
    notificationsList: ["app/api:*"],
    logging: { logLevel: "Debug", auditLogStatus: "Enabled" },
    syncProperties: { messageTtl: "P3D", schedule: "0 12 * * *", syncWindow: "PT4H" },
});
assert.deepEqual(updated.clientTokenIds, [id("tokens", "sdkclient")]);
assert.deepEqual(updated.notificationsList, ["app/api:*"]);
assert.deepEqual(updated.logging, { logLevel: "Debug", auditLogStatus: "Enabled" });
assert.equal(updated.mode, "ReadWrite");
const sync = (await client.connectedRegistries.get(group, registry, "sdkedge")).parent.syncProperties;
assert.deepEqual([sync.tokenId, sync.messageTtl, sync.schedule, sync.syncWindow],
    [id("tokens", "sdkedge-sync"), "P3D", "0 12 * * *", "PT4H"], JSON.stringify(sync));

await client.connectedRegistries.beginDeleteAndWait(group, registry, "sdkedge");
assert.deepEqual(await names(client.connectedRegistries.list(group, registry)), []);

console.log("connected registries: refused below Premium, created with parents, deactivated, updated and deleted");
