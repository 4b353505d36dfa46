import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import axios from 'axios';

@Processor('mail')
export class MailProcessor extends WorkerHost {
  async process(job: Job) {
    await axios.post('https://mail.internal/send', job.data);
  }
}
