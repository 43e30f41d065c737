// bun: an order service running on Bun, whose audit log keeps every order.
//
// Every request to the Bun.serve handler builds an Order (id, customer, lines,
// total, time) and appends it to the module-level `auditLog` array "for later
// inspection" that never comes. The Order objects retained by `auditLog` grow
// with the traffic. The program sends requests to itself over 127.0.0.1.
//
// Bun's own heap is JavaScriptCore's; Bun.generateHeapSnapshot('v8') writes it
// in V8's .heapsnapshot format. That export has no edges from a Map or Set to
// its entries (Bun 1.4), so a leak in a Map would show objects that nothing
// seems to hold; the log is an array so that paths reach the Orders.
//
// Usage: bun samples/bun.mjs DIR/<prefix>
// Writes <prefix>-1.heapsnapshot, -2 and -3.

const prefix = Bun.argv[2] ?? 'bun';

class Order {
  constructor(id, customer, quantity) {
    this.id = id;
    this.customer = customer;
    this.lines = [{ sku: 'sku-1', quantity, price: 250 }];
    this.total = quantity * 250;
    this.placedAt = new Date();
  }
}

// The leak: a module-level log with no size limit.
const auditLog = [];

function placeOrder(url) {
  const customer = url.searchParams.get('customer') ?? 'guest';
  const order = new Order(crypto.randomUUID(), customer, Number(url.searchParams.get('quantity') ?? 1));
  auditLog.push(order);
  return order;
}

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(request) {
    const order = placeOrder(new URL(request.url));
    return Response.json({ order: order.id, total: order.total });
  },
});

async function sendRequests(count, start) {
  for (let i = start; i < start + count; i++) {
    const response = await fetch(`http://127.0.0.1:${server.port}/orders?customer=customer${i}&quantity=${1 + (i % 5)}`);
    await response.json();
  }
}

async function snapshot(n) {
  Bun.gc(true);
  const file = `${prefix}-${n}.heapsnapshot`;
  await Bun.write(file, Bun.generateHeapSnapshot('v8'));
  console.log(`bun: wrote ${file} (${auditLog.length} orders)`);
}

await sendRequests(200, 0);
await snapshot(1);
await sendRequests(800, 200);
await snapshot(2);
await sendRequests(800, 1000);
await snapshot(3);

server.stop(true);
