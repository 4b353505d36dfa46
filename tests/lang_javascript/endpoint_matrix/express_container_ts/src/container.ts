import { NoteService } from './services/notes';
import { NoteController } from './controllers/notes';

export interface Container {
  services: { notes: NoteService };
  controllers: { notes: NoteController };
}

export function buildContainer(): Container {
  const notes = new NoteService();
  return { services: { notes }, controllers: { notes: new NoteController(notes) } };
}
