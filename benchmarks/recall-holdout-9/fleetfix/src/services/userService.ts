import { HttpError } from "../middleware/auth";
import { User } from "../models/User";

export async function getProfile(userId: string) {
  const user = await User.findById(userId).lean();
  if (!user) throw new HttpError(404, "user not found", "not_found");
  return { id: String(user._id), email: user.email, name: user.name, phone: user.phone, role: user.role };
}

export async function updateProfile(userId: string, changes: Record<string, unknown>) {
  const user = await User.findById(userId);
  if (!user) throw new HttpError(404, "user not found", "not_found");
  Object.assign(user, changes);
  await user.save();
  return { id: user.id, email: user.email, name: user.name, phone: user.phone, role: user.role };
}

export async function listShopUsers(shopId: string, limit: number, skip: number) {
  return User.find({ shopId }).sort({ name: 1 }).skip(skip).limit(limit).select("email name role active").lean();
}

export async function setRole(shopId: string, userId: string, role: string) {
  const user = await User.findOneAndUpdate({ _id: userId, shopId }, { $set: { role } }, { new: true, runValidators: true });
  if (!user) throw new HttpError(404, "user not found", "not_found");
  return { id: user.id, role: user.role };
}
