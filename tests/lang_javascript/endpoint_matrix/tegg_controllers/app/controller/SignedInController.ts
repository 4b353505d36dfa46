import { Middleware } from 'egg';

import { signedIn } from '../middleware/signedIn';

@Middleware(signedIn)
export abstract class SignedInController {}
