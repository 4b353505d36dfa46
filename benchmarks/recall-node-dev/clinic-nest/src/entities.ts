import { Entity, PrimaryGeneratedColumn, Column, ManyToOne } from 'typeorm';

@Entity()
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column({ unique: true }) email: string;
  @Column() passwordHash: string;
  @Column({ default: 'patient' }) role: string;
}

@Entity()
export class Patient {
  @PrimaryGeneratedColumn() id: number;
  @Column() userId: number;
  @Column() fullName: string;
  @Column({ nullable: true }) notes: string;
}

@Entity()
export class Appointment {
  @PrimaryGeneratedColumn() id: number;
  @ManyToOne(() => Patient) patient: Patient;
  @Column() patientId: number;
  @Column() doctorId: number;
  @Column() startsAt: Date;
  @Column({ default: 'booked' }) status: string;
}

@Entity()
export class Invoice {
  @PrimaryGeneratedColumn() id: number;
  @Column() appointmentId: number;
  @Column('int') amountCents: number;
  @Column({ default: 'open' }) state: string;
}
