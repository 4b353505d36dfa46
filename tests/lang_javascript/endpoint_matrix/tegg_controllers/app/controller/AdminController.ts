import { HTTPController, HTTPMethod, HTTPMethodEnum, Inject, Middleware } from '@eggjs/tegg';

import { signedIn } from '../middleware/signedIn';
import type { ShelfStore } from '../service/shelves';

@HTTPController()
@Middleware(signedIn)
export class AdminController {
  @Inject()
  private readonly shelfStore: ShelfStore;

  @HTTPMethod({ method: HTTPMethodEnum.POST, path: '/admin/reindex' })
  async reindex() {
    return await this.shelfStore.reindexAll();
  }
}
