import { Router } from "express";
import { z } from "zod";
import { asyncHandler } from "../middleware/asyncHandler";
import { requireAuth } from "../middleware/auth";
import { loginLimiter, resetLimiter } from "../middleware/rateLimit";
import { validateBody } from "../middleware/validate";
import * as authService from "../services/authService";
import * as userService from "../services/userService";

export const authRouter = Router();

const loginSchema = z.object({ email: z.string().email().max(254), password: z.string().min(1).max(200) });

authRouter.post(
  "/login",
  loginLimiter,
  validateBody(loginSchema),
  asyncHandler(async (req, res) => {
    const token = await authService.login(req.body.email, req.body.password);
    res.json({ accessToken: token });
  }),
);

authRouter.post(
  "/forgot-password",
  resetLimiter,
  validateBody(z.object({ email: z.string().email().max(254) })),
  asyncHandler(async (req, res) => {
    await authService.forgotPassword(req.body.email);
    res.status(202).json({ message: "If that address has an account, a reset link is on its way." });
  }),
);

authRouter.post(
  "/reset-password",
  resetLimiter,
  asyncHandler(async (req, res) => {
    const { token, password } = req.body ?? {};
    if (typeof password !== "string" || password.length < 10) {
      res.status(422).json({ error: "validation", message: "password must be at least 10 characters" });
      return;
    }
    await authService.resetPassword(token, password);
    res.json({ message: "password updated" });
  }),
);

authRouter.get(
  "/me",
  requireAuth,
  asyncHandler(async (req, res) => {
    res.json(await userService.getProfile(req.user!.id));
  }),
);

authRouter.patch(
  "/me",
  requireAuth,
  asyncHandler(async (req, res) => {
    res.json(await userService.updateProfile(req.user!.id, req.body));
  }),
);
