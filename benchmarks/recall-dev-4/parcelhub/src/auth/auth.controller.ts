import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { AuthService } from './auth.service';
import { Public } from './decorators';

class LoginDto {
  @IsEmail()
  email!: string;

  @IsString()
  @MaxLength(200)
  password!: string;
}

class DriverLoginDto {
  @Matches(/^\+?[0-9]{8,15}$/)
  phone!: string;

  @Length(4, 4)
  @Matches(/^[0-9]{4}$/)
  pin!: string;
}

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Throttle({ default: { limit: 5, ttl: 60_000 } })
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.email, dto.password);
  }

  // drivers sign in on shared depot tablets; the throttler's per-IP limit would lock out a whole depot
  @Public()
  @SkipThrottle()
  @Post('driver/login')
  @HttpCode(200)
  driverLogin(@Body() dto: DriverLoginDto) {
    return this.auth.driverLogin(dto.phone, dto.pin);
  }
}
