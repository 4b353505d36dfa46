import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { exec } from 'child_process';
import { IsString } from 'class-validator';
import { RolesGuard } from '../auth/roles.guard';
import { Public, Roles } from '../auth/public.decorator';
import { User } from '../entities';
import { AppointmentsService } from '../appointments/appointments.service';

class BackupDto {
  @IsString() label: string;
}

@Controller('admin')
export class AdminController {
  constructor(@InjectRepository(User) private readonly users: Repository<User>,
              private readonly appointments: AppointmentsService) {}

  @Get('users')
  @UseGuards(RolesGuard)
  @Roles('admin')
  async listUsers() {
    return this.users.find({ select: ['id', 'email', 'role'], take: 100 });
  }

  @Post('users/:id/role')
  @UseGuards(RolesGuard)
  @Roles('admin')
  async setRole(@Param('id', ParseIntPipe) id: number, @Body('role') role: string) {
    await this.users.update(id, { role });
    return { ok: true };
  }

  @Delete('users/:id')
  async deleteUser(@Param('id', ParseIntPipe) id: number) {
    await this.users.delete(id);
    return { ok: true };
  }

  @Get('report')
  @UseGuards(RolesGuard)
  @Roles('admin')
  async report() {
    return this.appointments.reportAll();
  }

  @Post('backup')
  @UseGuards(RolesGuard)
  @Roles('admin')
  async backup(@Body() dto: BackupDto) {
    return new Promise((resolve, reject) => {
      exec(`pg_dump "$DATABASE_URL" > /backups/${dto.label}.sql`, (err) => (err ? reject(err) : resolve({ ok: true })));
    });
  }

  @Public()
  @Post('cache/flush')
  async flush() {
    await this.users.query('DISCARD ALL');
    return { flushed: true };
  }
}
