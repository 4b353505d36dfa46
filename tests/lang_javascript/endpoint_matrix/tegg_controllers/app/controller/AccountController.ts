import { HTTPBody, HTTPController, HTTPMethod, HTTPMethodEnum, Inject } from 'egg';

import type { ShelfStore } from '../service/shelves';
import { SignedInController } from './SignedInController';

@HTTPController({ path: '/account' })
export class AccountController extends SignedInController {
  @Inject()
  private readonly shelfStore: ShelfStore;

  @HTTPMethod({ method: HTTPMethodEnum.POST, path: '/shelves' })
  async open(@HTTPBody() body: { name: string }) {
    return await this.shelfStore.place(body.name, '', body);
  }
}
