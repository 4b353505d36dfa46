import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from './user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async findById(id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) {
      throw new NotFoundException('User not found');
    }
    return user;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOne({ where: { email: email.toLowerCase() } });
  }

  async create(email: string, displayName: string, passwordHash: string): Promise<User> {
    const user = this.users.create({ email: email.toLowerCase(), displayName, passwordHash });
    return this.users.save(user);
  }

  async updateProfile(id: string, changes: Partial<User>): Promise<User> {
    const user = await this.findById(id);
    this.users.merge(user, changes);
    return this.users.save(user);
  }

  async bumpRefreshVersion(id: string): Promise<void> {
    await this.users.increment({ id }, 'refreshTokenVersion', 1);
  }
}
