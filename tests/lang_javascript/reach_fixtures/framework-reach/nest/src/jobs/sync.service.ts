import { Injectable, OnModuleInit } from '@nestjs/common';
import { Cron, Interval } from '@nestjs/schedule';
import axios from 'axios';

@Injectable()
export class SyncService implements OnModuleInit {
  async onModuleInit() {
    await axios.get('https://config.internal/flags');
  }

  @Cron('0 * * * *')
  async hourly() {
    await this.pull();
  }

  @Interval(60000)
  async heartbeat() {
    await axios.post('https://status.internal/beat', {});
  }

  private async pull() {
    await axios.get('https://feeds.internal/latest');
  }

  // not decorated: nothing shows who calls it
  async manual() {
    await axios.get('https://feeds.internal/manual');
  }
}
