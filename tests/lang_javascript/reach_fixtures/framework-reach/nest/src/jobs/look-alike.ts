// look-alikes: a project's own `Cron` decorator and a method named `process` on an undecorated class
import axios from 'axios';
import { Cron } from './scheduling';

export class Reports {
  @Cron('daily')
  async daily() {
    await axios.get('https://reports.internal/daily');
  }
}

export class Pipeline {
  async process(item: string) {
    await axios.get(`https://pipeline.internal/${item}`);
  }
}
