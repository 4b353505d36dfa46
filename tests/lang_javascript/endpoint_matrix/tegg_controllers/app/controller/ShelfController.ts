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

  async notARoute() {
    return await this.shelfStore.compact();
  }
}
