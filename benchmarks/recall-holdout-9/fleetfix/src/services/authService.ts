import bcrypt from "bcryptjs";
import { HttpError, signAccessToken } from "../middleware/auth";
import { User } from "../models/User";
import { notificationsQueue } from "../queue/queues";
import { config } from "../config";
import { logger } from "../logger";
import { randomToken } from "../utils/tokens";

const RESET_TTL_MS = 30 * 60 * 1000;

export async function login(email: string, password: string): Promise<string> {
  const user = await User.findOne({ email: email.toLowerCase(), active: true }).select("+passwordHash");
  const ok = user ? await bcrypt.compare(password, user.passwordHash) : false;
  if (!user || !ok) {
    throw new HttpError(401, "invalid email or password", "invalid_credentials");
  }
  user.lastLoginAt = new Date();
  await user.save();
  logger.info({ userId: user.id }, "user logged in");
  return signAccessToken({ id: user.id, shopId: String(user.shopId), role: user.role });
}

export async function forgotPassword(email: string): Promise<void> {
  const user = await User.findOne({ email: email.toLowerCase(), active: true });
  if (!user) return;
  const token = randomToken(32);
  user.resetToken = token;
  user.resetExpires = new Date(Date.now() + RESET_TTL_MS);
  await user.save();
  await notificationsQueue.add("email", {
    to: user.email,
    subject: "Reset your FleetFix password",
    text: `${config.publicUrl}/reset?token=${token}`,
  });
}

export async function resetPassword(token: unknown, newPassword: string): Promise<void> {
  const user = await User.findOne({ resetToken: token, resetExpires: { $gt: new Date() } }).select("+resetToken");
  if (!user) throw new HttpError(400, "invalid or expired reset link", "invalid_token");
  user.passwordHash = await bcrypt.hash(newPassword, 12);
  user.resetToken = null;
  user.resetExpires = null;
  await user.save();
}
