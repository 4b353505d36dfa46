import { Global, Module } from '@nestjs/common';
import { SecretBoxService } from './crypto/secret-box.service';

@Global()
@Module({
  providers: [SecretBoxService],
  exports: [SecretBoxService],
})
export class CommonModule {}
