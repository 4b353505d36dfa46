import { ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import axios from 'axios';
import { Appointment, Invoice, Patient } from '../entities';
import { BookDto } from './dto';

const DAY_STATUSES = ['booked', 'checked_in', 'done'];

@Injectable()
export class AppointmentsService {
  private readonly logger = new Logger(AppointmentsService.name);

  constructor(
    @InjectRepository(Appointment) private readonly appointments: Repository<Appointment>,
    @InjectRepository(Patient) private readonly patients: Repository<Patient>,
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    private readonly dataSource: DataSource,
  ) {}

  async forPatientUser(userId: number) {
    const patient = await this.patients.findOneOrFail({ where: { userId } });
    return this.appointments.find({ where: { patientId: patient.id }, order: { startsAt: 'DESC' }, take: 50 });
  }

  async byId(id: number) {
    const found = await this.appointments.findOne({ where: { id }, relations: ['patient'] });
    if (!found) {
      throw new NotFoundException();
    }
    return found;
  }

  async searchByPatientName(name: string) {
    return this.dataSource.query(
      `SELECT a.* FROM appointment a JOIN patient p ON p.id = a."patientId" WHERE p."fullName" ILIKE '%${name}%'`,
    );
  }

  async book(userId: number, dto: BookDto) {
    const patient = await this.patients.findOneOrFail({ where: { userId } });
    const appointment = await this.appointments.save(
      this.appointments.create({ patientId: patient.id, doctorId: dto.doctorId, startsAt: new Date(dto.startsAt) }),
    );
    if (dto.reminderWebhook) {
      await axios.post(dto.reminderWebhook, { appointmentId: appointment.id });
    }
    return appointment;
  }

  async cancel(userId: number, id: number) {
    const patient = await this.patients.findOneOrFail({ where: { userId } });
    const appointment = await this.appointments.findOne({ where: { id } });
    if (!appointment || appointment.patientId !== patient.id) {
      throw new ForbiddenException();
    }
    appointment.status = 'cancelled';
    await this.appointments.save(appointment);
    const invoice = await this.invoices.findOne({ where: { appointmentId: id } });
    if (invoice) {
      invoice.state = 'void';
      await this.invoices.save(invoice);
    }
    return { ok: true };
  }

  async doctorDay(doctorId: number) {
    const counts: Record<string, number> = {};
    for (const status of DAY_STATUSES) {
      counts[status] = await this.appointments.count({ where: { doctorId, status } });
    }
    return counts;
  }

  async reportAll() {
    const rows = await this.appointments.find();
    const out = [];
    for (const row of rows) {
      const patient = await this.patients.findOne({ where: { id: row.patientId } });
      out.push({ ...row, patientName: patient?.fullName });
    }
    return out;
  }
}
