// Webhooks through @azure/arm-containerregistry: create, get, update, list, getCallbackConfig, a ping that really
// reaches a receiver this script runs on loopback, listEvents with the attempt, the Basic SKU's limit, delete.
import assert from "node:assert/strict";
import http from "node:http";
import { assertArmError, client, createRegistry, names } from "./arm.mjs";

const group = "sdkhooks";
const registry = "sdkhooksreg";

// The receiver keeps every request and answers 200.
const received = [];
const receiver = http.createServer((request, response) => {
    const chunks = [];
    request.on("data", chunk => chunks.push(chunk));
    request.on("end", () => {
        received.push({ url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString() });
        response.end();
    });
});
await new Promise(resolve => receiver.listen(0, "127.0.0.1", resolve));
const serviceUri = `http://127.0.0.1:${receiver.address().port}/hook`;

try {
    await createRegistry(group, registry, "Basic");

    const created = await client.webhooks.beginCreateAndWait(group, registry, "sdkhook", {
        location: "westus",
        tags: { team: "blue" },
        serviceUri,
        customHeaders: { "X-Team": "blue", Authorization: "Bearer sdk-secret" },
        status: "enabled",
        scope: "app/*:*",
        actions: ["push", "delete"],
    });
    assert.equal(created.name, "sdkhook");
    assert.equal(created.location, "westus");
    assert.deepEqual(created.tags, { team: "blue" });
    assert.equal(created.status, "enabled");
    assert.equal(created.scope, "app/*:*");
    assert.deepEqual(created.actions, ["push", "delete"]);
    assert.equal(created.provisioningState, "Succeeded");

    // The service URI and the headers are secrets: GET leaves them out, getCallbackConfig shows them.
    const raw = await client.webhooks.get(group, registry, "sdkhook", {
        onResponse: response => assert.doesNotMatch(response.bodyAsText, /serviceUri|customHeaders|sdk-secret/),
    });
    assert.equal(raw.scope, "app/*:*");
    const callback = await client.webhooks.getCallbackConfig(group, registry, "sdkhook");
    assert.equal(callback.serviceUri, serviceUri);
    assert.deepEqual(callback.customHeaders, { "X-Team": "blue", Authorization: "Bearer sdk-secret" });

    const updated = await client.webhooks.beginUpdateAndWait(group, registry, "sdkhook", {
        tags: { team: "green" },
        customHeaders: { "X-Team": "green" },
        scope: "app/api",
        actions: ["push"],
    });
    assert.deepEqual(updated.tags, { team: "green" });
    assert.equal(updated.scope, "app/api");
    assert.deepEqual(updated.actions, ["push"]);
    assert.equal(updated.status, "enabled");
    assert.deepEqual((await client.webhooks.getCallbackConfig(group, registry, "sdkhook")).customHeaders,
        { "X-Team": "green" });

    // A ping is delivered at once, with the custom headers, and answered with its event id.
    const ping = await client.webhooks.ping(group, registry, "sdkhook");
    assert.match(ping.id, /^[0-9a-f-]{36}$/);
    const delivered = received.find(r => JSON.parse(r.body).id === ping.id);
    assert.ok(delivered, `the receiver got ${JSON.stringify(received)}`);
    assert.equal(delivered.url, "/hook");
    assert.equal(delivered.headers["x-team"], "green");
    assert.match(delivered.headers["content-type"], /^application\/vnd\.docker\.distribution\.events\.v1\+json/);
    const pingBody = JSON.parse(delivered.body);
    assert.equal(pingBody.action, "ping");
    assert.ok(!Number.isNaN(Date.parse(pingBody.timestamp)), pingBody.timestamp);

    // listEvents keeps the attempt: what was sent and what the receiver answered.
    const events = [];
    for await (const event of client.webhooks.listEvents(group, registry, "sdkhook")) {
        events.push(event);
    }
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.id, ping.id);
    assert.equal(event.eventRequestMessage.method, "POST");
    assert.equal(event.eventRequestMessage.requestUri, serviceUri);
    assert.equal(event.eventRequestMessage.headers["X-Team"], "green");
    assert.equal(event.eventRequestMessage.content.id, ping.id);
    assert.equal(event.eventRequestMessage.content.action, "ping");
    assert.equal(event.eventResponseMessage.statusCode, "200");

    // Basic allows two webhooks per registry; a third is ACR's 409 QuotaExceeded.
    await client.webhooks.beginCreateAndWait(group, registry, "sdkhook2",
        { location: "westus", serviceUri, actions: ["delete"], status: "disabled" });
    assert.deepEqual(await names(client.webhooks.list(group, registry)), ["sdkhook", "sdkhook2"]);
    await assertArmError(client.webhooks.beginCreateAndWait(group, registry, "sdkhook3",
        { location: "westus", serviceUri, actions: ["push"] }), 409, "QuotaExceeded", "a third webhook on Basic");

    // Standard allows ten: the same webhook goes in once the SKU changes.
    await client.registries.beginUpdateAndWait(group, registry, { sku: { name: "Standard" } });
    await client.webhooks.beginCreateAndWait(group, registry, "sdkhook3",
        { location: "westus", serviceUri, actions: ["push"] });

    for (const name of ["sdkhook", "sdkhook2", "sdkhook3"]) {
        await client.webhooks.beginDeleteAndWait(group, registry, name);
    }
    await assertArmError(client.webhooks.get(group, registry, "sdkhook"), 404, "ResourceNotFound",
        "a deleted webhook");
    assert.deepEqual(await names(client.webhooks.list(group, registry)), []);
} finally {
    receiver.close();
}

console.log("webhooks: created, read, updated, pinged to a loopback receiver, events listed, limited and deleted");
