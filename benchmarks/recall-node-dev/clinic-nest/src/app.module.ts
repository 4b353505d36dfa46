import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { HttpModule } from '@nestjs/axios';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JwtAuthGuard } from './auth/jwt.guard';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { AppointmentsController } from './appointments/appointments.controller';
import { AppointmentsService } from './appointments/appointments.service';
import { BillingService } from './billing/billing.service';
import { AdminController } from './admin/admin.controller';
import { FilesController } from './files/files.controller';
import { Appointment, Patient, Invoice, User } from './entities';

@Module({
  imports: [
    TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL, autoLoadEntities: true }),
    TypeOrmModule.forFeature([Appointment, Patient, Invoice, User]),
    JwtModule.register({ secret: 'clinic-jwt-signing-key-2024', signOptions: { expiresIn: '12h' } }),
    HttpModule.register({ timeout: 5000 }),
  ],
  controllers: [AuthController, AppointmentsController, AdminController, FilesController],
  providers: [
    AuthService,
    AppointmentsService,
    BillingService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
})
export class AppModule {}
