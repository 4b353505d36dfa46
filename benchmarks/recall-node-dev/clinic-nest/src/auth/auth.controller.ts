import { Body, Controller, HttpCode, Logger, Post, UseGuards } from '@nestjs/common';
import { ThrottlerGuard, Throttle } from '@nestjs/throttler';
import { IsEmail, IsString, MinLength } from 'class-validator';
import { Public } from './public.decorator';
import { AuthService } from './auth.service';

export class LoginDto {
  @IsEmail() email: string;
  @IsString() password: string;
}

export class RegisterDto {
  @IsEmail() email: string;
  @IsString() @MinLength(10) password: string;
}

@Controller('auth')
export class AuthController {
  private readonly logger = new Logger(AuthController.name);

  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto) {
    this.logger.log(`login attempt ${JSON.stringify(body)}`);
    return this.auth.login(body.email, body.password);
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: { limit: 5, ttl: 60000 } })
  @Post('register')
  async register(@Body() body: RegisterDto) {
    this.logger.log(`register ${body.email}`);
    return this.auth.register(body.email, body.password);
  }
}
