import type { Context, Next } from 'egg';

export async function signedIn(ctx: Context, next: Next) {
  const token = ctx.get('authorization');
  if (!token) {
    ctx.throw(401, 'sign in first');
  }
  await next();
}

export async function timed(ctx: Context, next: Next) {
  const started = Date.now();
  await next();
  ctx.set('x-response-time', String(Date.now() - started));
}
