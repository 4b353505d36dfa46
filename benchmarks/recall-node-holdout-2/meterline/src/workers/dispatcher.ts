import { buildContainer, Container } from '../container';

const DELIVERY_BATCH = 50;
const TICK_MS = 1_000;
const FLUSH_MS = 5_000;

async function dispatchOnce(c: Container): Promise<number> {
  const deliveries = await c.prisma.webhookDelivery.findMany({
    where: { status: 'PENDING', endpoint: { enabled: true } },
    include: { endpoint: true },
    orderBy: { createdAt: 'asc' },
    take: DELIVERY_BATCH,
  });
  for (const delivery of deliveries) {
    try {
      const ok = await c.services.webhooks.deliver(delivery);
      if (!ok) throw new Error('receiver returned non-2xx');
      await c.prisma.webhookDelivery.update({
        where: { id: delivery.id },
        data: { status: 'DELIVERED', attempts: { increment: 1 }, lastError: null },
      });
    } catch (err) {
      await c.prisma.webhookDelivery.update({
        where: { id: delivery.id },
        data: { status: 'PENDING', attempts: { increment: 1 }, lastError: (err as Error).message.slice(0, 500) },
      });
    }
  }
  return deliveries.length;
}

async function generateMonthlyInvoices(c: Container, now = new Date()): Promise<number> {
  const periodEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  let cursor: string | undefined;
  let created = 0;
  for (;;) {
    const page = await c.prisma.workspace.findMany({
      where: { invoices: { none: { periodStart } } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: 200,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const ws of page) {
      await c.services.invoices.generate(ws.id, periodStart, periodEnd);
      created += 1;
    }
    if (page.length < 200) break;
    cursor = page[page.length - 1]?.id;
  }
  return created;
}

function loop(name: string, everyMs: number, fn: () => Promise<unknown>, c: Container): NodeJS.Timeout {
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    fn()
      .catch((err) => c.logger.error({ err, loop: name }, 'worker loop failed'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
}

async function main(): Promise<void> {
  const c = buildContainer();
  const timers = [
    loop('webhooks', TICK_MS, () => dispatchOnce(c), c),
    loop('usage-flush', FLUSH_MS, () => c.services.usage.flush(), c),
    loop('invoices', 60 * 60 * 1000, async () => {
      const now = new Date();
      if (now.getUTCDate() === 1) await generateMonthlyInvoices(c, now);
    }, c),
  ];
  c.logger.info('workers started');

  const stop = () => {
    timers.forEach(clearInterval);
    void c.dispose().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  void main();
}

export { dispatchOnce, generateMonthlyInvoices };
