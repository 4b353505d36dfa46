import { NestFactory } from '@nestjs/core';
import axios from 'axios';
import { AppModule } from '../app.module';

export async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await warmCaches();
  await app.listen(3000);
}

async function warmCaches() {
  await axios.get('https://cache.internal/warm');
}

// not called by the bootstrap: nothing shows who runs it
export async function reindex() {
  await axios.get('https://search.internal/reindex');
}
