import { Body, Controller, Post } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';

@Controller('auth')
export class AuthController {
  @Throttle({ default: { limit: 3, ttl: 60000 } })
  @Post('login')
  login(@Body() body: { email: string; password: string }) { // ok: auth-brute-force
    return body.email;
  }
}
