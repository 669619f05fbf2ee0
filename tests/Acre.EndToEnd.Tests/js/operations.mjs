// The provider's operations through @azure/arm-containerregistry: every entry described, and the registry's children
// (scope maps, tokens, webhooks, replications, private endpoint connections, connected registries) among them.
import assert from "node:assert/strict";
import { client } from "./arm.mjs";

const operations = [];
for await (const operation of client.operations.list()) {
    operations.push(operation);
}
const listed = new Set(operations.map(o => o.name));

for (const operation of operations) {
    assert.match(operation.name, /^Microsoft\.ContainerRegistry\//, JSON.stringify(operation));
    assert.equal(operation.isDataAction, false, operation.name);
    assert.ok(operation.display?.provider && operation.display.resource && operation.display.operation &&
        operation.display.description, JSON.stringify(operation));
}
for (const name of ["registries/read", "registries/write", "registries/delete", "operations/read"]) {
    assert.ok(listed.has(`Microsoft.ContainerRegistry/${name}`), name);
}

// ACR lists read, write and delete of each child, and the children's actions.
const children = ["scopeMaps", "tokens", "webhooks", "replications", "privateEndpointConnections",
    "connectedRegistries"].flatMap(kind => ["read", "write", "delete"].map(verb => `registries/${kind}/${verb}`));
const actions = ["registries/generateCredentials/action", "registries/webhooks/ping/action",
    "registries/webhooks/getCallbackConfig/action", "registries/webhooks/listEvents/action",
    "registries/connectedRegistries/deactivate/action"];
const missing = [...children, ...actions].filter(name => !listed.has(`Microsoft.ContainerRegistry/${name}`));
assert.deepEqual(missing, [], `operations.list lacks ${missing.join(", ")}`);

console.log(`operations: ${operations.length} operations, the registry's children among them`);
