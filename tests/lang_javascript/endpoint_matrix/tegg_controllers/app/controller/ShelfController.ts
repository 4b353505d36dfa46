import { HTTPBody, HTTPContext, HTTPController, HTTPMethod, HTTPMethodEnum, HTTPParam, Inject, Middleware } from 'egg';
import type { Context } from 'egg';

import { signedIn, timed } from '../middleware/signedIn';
import type { ShelfStore } from '../service/shelves';

const SLUG = '[a-z0-9-]+';

@HTTPController({ path: '/api/shelves' })
@Middleware(timed)
export class ShelfController {
  @Inject()
  private readonly shelfStore: ShelfStore;
  @Inject()
  private readonly logger: { info(message: string, ...args: unknown[]): void };

  @HTTPMethod({ method: HTTPMethodEnum.GET, path: '/:shelfId' })
  async show(@HTTPParam() shelfId: string) {
    return await this.shelfStore.find(shelfId);
  }

  @HTTPMethod({ method: HTTPMethodEnum.PUT, path: `/:shelfId/books/${SLUG}` })
  @Middleware(signedIn)
  async shelve(@HTTPContext() ctx: Context, @HTTPParam() shelfId: string, @HTTPBody() note: unknown) {
    return await this.shelfStore.place(shelfId, ctx.params.slug, note);
  }

  @Middleware(signedIn)
  @HTTPMethod({ method: 'delete', path: '/:shelfId' })
  async remove(@HTTPParam() shelfId: string) {
    return await this.shelfStore.drop(shelfId);
  }

  @HTTPMethod({ method: HTTPMethodEnum.POST, path: '/:shelfId/archive' })
  async archive(@HTTPContext() ctx: Context, @HTTPParam() shelfId: string) {
    await this.ensureCurator(ctx, shelfId);
    return await this.shelfStore.drop(shelfId);
  }

  @HTTPMethod({ method: HTTPMethodEnum.POST, path: '/:shelfId/visits' })
  async visit(@HTTPContext() ctx: Context, @HTTPParam() shelfId: string) {
    this.logger.info('visit from %s', ctx);
    return await this.shelfStore.find(shelfId);
  }

  @HTTPMethod({ method: HTTPMethodEnum.GET, path: '/:shelfId/cover' })
  async cover(@HTTPContext() ctx: Context, @HTTPParam() shelfId: string) {
    this.setCacheHeaders(ctx, 60);
    return await this.shelfStore.find(shelfId);
  }

  private setCacheHeaders(ctx: Context, seconds: number) {
    ctx.set('cache-control', `public, max-age=${seconds}`);
  }

  private async ensureCurator(ctx: Context, shelfId: string) {
    if (ctx.get('x-curator') !== shelfId) {
      ctx.throw(403, 'not a curator');
    }
  }

  async notARoute() {
    return await this.shelfStore.compact();
  }
}
