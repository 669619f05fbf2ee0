// Scope maps and tokens through @azure/arm-containerregistry: the five system scope maps, a user scope map's life,
// a token's life with generateCredentials, and what the token's passwords then open on the data plane.
import assert from "node:assert/strict";
import { assertArmError, childId, client, createRegistry, dataPlaneStatus, names } from "./arm.mjs";

const group = "sdkscoped";
const registry = "sdkscopedreg";
const scopeMapId = name => childId(group, registry, "scopeMaps", name);
const tokenId = childId(group, registry, "tokens", "sdktoken");

await createRegistry(group, registry, "Standard");

// Every registry has the system scope maps, which can be neither changed nor deleted.
const system = {
    _repositories_pull: ["content/read"],
    _repositories_pull_metadata_read: ["content/read", "metadata/read"],
    _repositories_push: ["content/read", "content/write"],
    _repositories_push_metadata_write: ["content/read", "content/write", "metadata/read", "metadata/write"],
    _repositories_admin: ["content/read", "content/write", "content/delete", "metadata/read", "metadata/write"],
};
const listed = [];
for await (const scopeMap of client.scopeMaps.list(group, registry)) {
    listed.push(scopeMap);
}
assert.deepEqual(listed.map(s => s.name), Object.keys(system));
for (const scopeMap of listed) {
    assert.equal(scopeMap.typePropertiesType, "SystemDefined", scopeMap.name);
    assert.equal(scopeMap.id, scopeMapId(scopeMap.name));
    assert.deepEqual(scopeMap.actions, system[scopeMap.name].map(a => `repositories/*/${a}`), scopeMap.name);
}
await assertArmError(client.scopeMaps.beginUpdateAndWait(group, registry, "_repositories_admin",
    { description: "mine now" }), 400, "OperationNotAllowed", "updating a system scope map");
await assertArmError(client.scopeMaps.beginDeleteAndWait(group, registry, "_repositories_pull"), 400,
    "OperationNotAllowed", "deleting a system scope map");

// A user scope map: created, read, updated, listed.
const created = await client.scopeMaps.beginCreateAndWait(group, registry, "appwriters", {
    description: "app writers",
    actions: ["repositories/app/*/content/read", "repositories/app/*/content/write"],
});
assert.equal(created.typePropertiesType, "UserDefined");
assert.equal(created.provisioningState, "Succeeded");
assert.equal(created.id, scopeMapId("appwriters"));
assert.ok(created.creationDate instanceof Date, JSON.stringify(created));
assert.equal((await client.scopeMaps.get(group, registry, "appwriters")).description, "app writers");
const updated = await client.scopeMaps.beginUpdateAndWait(group, registry, "appwriters", {
    description: "app readers",
    actions: ["repositories/app/*/content/read", "repositories/app/*/metadata/read"],
});
assert.equal(updated.description, "app readers");
assert.deepEqual(updated.actions, ["repositories/app/*/content/read", "repositories/app/*/metadata/read"]);
assert.deepEqual(await names(client.scopeMaps.list(group, registry)), [...Object.keys(system), "appwriters"]);
await assertArmError(client.scopeMaps.beginCreateAndWait(group, registry, "badactions",
    { actions: ["repositories/app/content/steal"] }), 400, "InvalidScopeMapAction", "an unknown action");

// A token on the user scope map: no passwords until generateCredentials makes them, once.
const token = await client.tokens.beginCreateAndWait(group, registry, "sdktoken",
    { scopeMapId: scopeMapId("appwriters"), status: "enabled" });
assert.equal(token.scopeMapId, scopeMapId("appwriters"));
assert.equal(token.status, "enabled");
assert.deepEqual(token.credentials.passwords, []);
await assertArmError(client.tokens.beginCreateAndWait(group, registry, "lostoken",
    { scopeMapId: scopeMapId("nosuchmap") }), 400, "InvalidScopeMapId", "a token on a missing scope map");

const first = await client.registries.beginGenerateCredentialsAndWait(group, registry,
    { tokenId, name: "password1" });
assert.equal(first.username, "sdktoken");
const [password1] = first.passwords;
assert.equal(password1.name, "password1");
assert.ok(password1.value?.length >= 32, JSON.stringify(first));
assert.equal(password1.expiry, undefined);

// password2 expired a minute ago: made, but refused at once.
const expiry = new Date(Date.now() - 60_000);
const second = await client.registries.beginGenerateCredentialsAndWait(group, registry,
    { tokenId, name: "password2", expiry });
const [password2] = second.passwords;
assert.equal(password2.name, "password2");
assert.equal(password2.expiry.toISOString(), expiry.toISOString());

// The token read back names its passwords but never shows their values.
const shown = await client.tokens.get(group, registry, "sdktoken");
assert.deepEqual(shown.credentials.passwords.map(p => p.name).sort(), ["password1", "password2"]);
assert.ok(shown.credentials.passwords.every(p => p.value === undefined), JSON.stringify(shown.credentials));

// On the data plane: the name and password1 sign in; the expired password2 does not; nor does a disabled token.
assert.equal(await dataPlaneStatus(registry, "/v2/", "sdktoken", password1.value), 200);
assert.equal(await dataPlaneStatus(registry, "/v2/", "sdktoken", password2.value), 401);
const disabled = await client.tokens.beginUpdateAndWait(group, registry, "sdktoken", { status: "disabled" });
assert.equal(disabled.status, "disabled");
assert.equal(await dataPlaneStatus(registry, "/v2/", "sdktoken", password1.value), 401);

// Enabled again on a system scope map: the same password signs in again.
const moved = await client.tokens.beginUpdateAndWait(group, registry, "sdktoken",
    { status: "enabled", scopeMapId: scopeMapId("_repositories_pull") });
assert.equal(moved.scopeMapId, scopeMapId("_repositories_pull"));
assert.equal(await dataPlaneStatus(registry, "/v2/", "sdktoken", password1.value), 200);

// The scope map limits the token: a repository-scoped token may not list the catalog.
await client.tokens.beginUpdateAndWait(group, registry, "sdktoken", { scopeMapId: scopeMapId("appwriters") });
assert.equal(await dataPlaneStatus(registry, "/v2/_catalog", "sdktoken", password1.value), 403);

assert.deepEqual(await names(client.tokens.list(group, registry)), ["sdktoken"]);

// Deleted: the token no longer signs in, and both are gone from ARM.
await client.tokens.beginDeleteAndWait(group, registry, "sdktoken");
await assertArmError(client.tokens.get(group, registry, "sdktoken"), 404, "ResourceNotFound", "a deleted token");
assert.equal(await dataPlaneStatus(registry, "/v2/", "sdktoken", password1.value), 401);
await client.scopeMaps.beginDeleteAndWait(group, registry, "appwriters");
await assertArmError(client.scopeMaps.get(group, registry, "appwriters"), 404, "ResourceNotFound",
    "a deleted scope map");

console.log("scope maps and tokens: system maps listed and kept, a map and a token made, used, changed and deleted");
