import { Body, Controller, Get, Patch } from '@nestjs/common';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Controller('me')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  me(@CurrentUser('id') userId: string): Promise<User> {
    return this.users.findById(userId);
  }

  @Patch()
  updateMe(@CurrentUser('id') userId: string, @Body() body: Partial<User>): Promise<User> {
    return this.users.updateProfile(userId, body);
  }
}
