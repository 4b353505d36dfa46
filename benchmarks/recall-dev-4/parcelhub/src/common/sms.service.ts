import { HttpService } from '@nestjs/axios';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { firstValueFrom } from 'rxjs';

@Injectable()
export class SmsService {
  private readonly logger = new Logger(SmsService.name);

  constructor(
    private readonly http: HttpService,
    private readonly config: ConfigService,
  ) {}

  async send(to: string, text: string): Promise<void> {
    await firstValueFrom(
      this.http.post(
        `${this.config.getOrThrow<string>('SMS_API_URL')}/messages`,
        { to, text },
        { headers: { Authorization: `Bearer ${this.config.getOrThrow<string>('SMS_API_TOKEN')}` } },
      ),
    );
    this.logger.log(`sms queued to ***${to.slice(-3)}`);
  }
}
