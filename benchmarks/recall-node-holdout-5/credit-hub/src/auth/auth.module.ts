import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { BullModule } from '@nestjs/bull';
import { UsersModule } from '../users/users.module';
import { AuthService } from './auth.service';
import { AuthController } from './auth.controller';
import { LoginThrottleGuard } from './login-throttle.guard';

@Global()
@Module({
  imports: [JwtModule.register({}), UsersModule, BullModule.registerQueue({ name: 'webhooks' })],
  controllers: [AuthController],
  providers: [AuthService, LoginThrottleGuard],
  exports: [JwtModule],
})
export class AuthModule {}
