import type { Context, Next } from 'koa';

export default function koaAuth() {
  return async (ctx: Context, next: Next) => {
    const header = ctx.request.headers.authorization;
    if (!header) {
      ctx.throw(401, 'unauthorized'); // reach: request
    }
    await next();
  };
}
