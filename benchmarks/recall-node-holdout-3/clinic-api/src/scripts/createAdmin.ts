import 'reflect-metadata';
import bcrypt from 'bcryptjs';
import { createInterface } from 'readline/promises';
import { dataSource } from '../db/dataSource';
import { User } from '../entities/User';

/** Usage: npm run create-admin -- <email> <clinic-id>; the password is read from stdin. */
async function main() {
  const [email, clinicId] = process.argv.slice(2);
  if (!email || !clinicId) {
    console.error('usage: create-admin <email> <clinic-id>');
    process.exit(2);
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const password = await rl.question('Password: ');
  rl.close();
  if (password.length < 12) {
    console.error('password must be at least 12 characters');
    process.exit(2);
  }

  await dataSource.initialize();
  try {
    const users = dataSource.getRepository(User);
    const user = users.create({
      email,
      clinicId,
      role: 'admin',
      active: true,
      passwordHash: await bcrypt.hash(password, 12),
    });
    await users.save(user);
    console.log(`created admin ${user.id} for clinic ${clinicId}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
