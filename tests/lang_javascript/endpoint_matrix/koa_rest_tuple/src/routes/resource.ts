import type Router from 'koa-router';

type Queries = { all: () => Promise<unknown[]>; remove?: (id: string) => Promise<void> };
type RouterInitArgs<T> = [router: T, tenant: { queries: Queries }];

export function formatRows<T>(...[rows, label]: [T[], string]) {
  return rows.map((row) => `${label}: ${String(row)}`); // reach: unknown
}

export default function resourceRoutes<T extends Router>(...[router, { queries }]: RouterInitArgs<T>) {
  router.get(
    '/resources',
    async (ctx, next) => {
      ctx.body = await queries.all(); // reach: request
      return next();
    },
  );
  router.delete('/resources/:id', async (ctx) => {
    await queries.remove?.(ctx.params.id); // reach: request
    ctx.status = 204;
  });
}
