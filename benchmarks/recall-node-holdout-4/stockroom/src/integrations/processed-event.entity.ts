import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('processed_events')
export class ProcessedEvent {
  @PrimaryColumn({ name: 'event_id', length: 64 })
  eventId: string;

  @PrimaryColumn({ length: 32 })
  source: string;

  @CreateDateColumn({ name: 'processed_at' })
  processedAt: Date;
}
