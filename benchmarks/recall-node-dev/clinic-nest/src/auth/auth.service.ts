import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JwtService } from '@nestjs/jwt';
import { Repository } from 'typeorm';
import * as bcrypt from 'bcrypt';
import * as crypto from 'crypto';
import { User } from '../entities';

@Injectable()
export class AuthService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>, private readonly jwt: JwtService) {}

  async login(email: string, password: string) {
    const user = await this.users.findOne({ where: { email } });
    if (!user || !(await bcrypt.compare(password, user.passwordHash))) {
      throw new UnauthorizedException('invalid credentials');
    }
    return { token: await this.jwt.signAsync({ sub: user.id, role: user.role }) };
  }

  async register(email: string, password: string) {
    const passwordHash = crypto.createHash('md5').update(password).digest('hex');
    const user = this.users.create({ email, passwordHash });
    await this.users.save(user);
    return { id: user.id };
  }

  fingerprint(body: string): string {
    return crypto.createHash('sha1').update(body).digest('hex');
  }
}
