CREATE TYPE "Role" AS ENUM ('STUDENT', 'INSTRUCTOR', 'ADMIN');
CREATE TYPE "EnrollmentStatus" AS ENUM ('PENDING', 'ACTIVE', 'CANCELLED', 'REFUNDED');
CREATE TYPE "PayoutStatus" AS ENUM ('REQUESTED', 'PAID', 'FAILED');

CREATE TABLE "users" (
    "id" TEXT PRIMARY KEY,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'STUDENT',
    "bio" TEXT,
    "avatar_url" TEXT,
    "email_verified_at" TIMESTAMP(3),
    "payout_account" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "refresh_sessions" (
    "id" TEXT PRIMARY KEY,
    "user_id" TEXT NOT NULL REFERENCES "users"("id"),
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3)
);
CREATE UNIQUE INDEX "refresh_sessions_token_hash_key" ON "refresh_sessions"("token_hash");
CREATE INDEX "refresh_sessions_user_id_idx" ON "refresh_sessions"("user_id");

CREATE TABLE "password_resets" (
    "id" TEXT PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX "password_resets_user_id_expires_at_idx" ON "password_resets"("user_id", "expires_at");

CREATE TABLE "courses" (
    "id" TEXT PRIMARY KEY,
    "instructor_id" TEXT NOT NULL REFERENCES "users"("id"),
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'EUR',
    "capacity" INTEGER,
    "seats_taken" INTEGER NOT NULL DEFAULT 0,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "courses_slug_key" ON "courses"("slug");
CREATE INDEX "courses_instructor_id_idx" ON "courses"("instructor_id");
CREATE INDEX "courses_published_created_at_idx" ON "courses"("published", "created_at");

CREATE TABLE "lessons" (
    "id" TEXT PRIMARY KEY,
    "course_id" TEXT NOT NULL REFERENCES "courses"("id"),
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "video_asset_id" TEXT,
    "duration_sec" INTEGER
);
CREATE UNIQUE INDEX "lessons_course_id_position_key" ON "lessons"("course_id", "position");

CREATE TABLE "coupons" (
    "id" TEXT PRIMARY KEY,
    "code" TEXT NOT NULL,
    "course_id" TEXT,
    "percent_off" INTEGER NOT NULL,
    "max_uses" INTEGER NOT NULL,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMP(3),
    "created_by_id" TEXT NOT NULL
);
CREATE UNIQUE INDEX "coupons_code_key" ON "coupons"("code");

CREATE TABLE "enrollments" (
    "id" TEXT PRIMARY KEY,
    "user_id" TEXT NOT NULL REFERENCES "users"("id"),
    "course_id" TEXT NOT NULL REFERENCES "courses"("id"),
    "status" "EnrollmentStatus" NOT NULL DEFAULT 'PENDING',
    "amount_cents" INTEGER NOT NULL,
    "coupon_id" TEXT,
    "charge_id" TEXT,
    "completed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "enrollments_charge_id_key" ON "enrollments"("charge_id");
CREATE UNIQUE INDEX "enrollments_user_id_course_id_key" ON "enrollments"("user_id", "course_id");
CREATE INDEX "enrollments_course_id_status_idx" ON "enrollments"("course_id", "status");

CREATE TABLE "reviews" (
    "id" TEXT PRIMARY KEY,
    "course_id" TEXT NOT NULL REFERENCES "courses"("id"),
    "user_id" TEXT NOT NULL REFERENCES "users"("id"),
    "rating" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "reviews_course_id_user_id_key" ON "reviews"("course_id", "user_id");
CREATE INDEX "reviews_course_id_created_at_idx" ON "reviews"("course_id", "created_at");

CREATE TABLE "instructor_balances" (
    "instructor_id" TEXT PRIMARY KEY REFERENCES "users"("id"),
    "available_cents" INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE "payouts" (
    "id" TEXT PRIMARY KEY,
    "instructor_id" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "status" "PayoutStatus" NOT NULL DEFAULT 'REQUESTED',
    "provider_transfer_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "payouts_instructor_id_created_at_idx" ON "payouts"("instructor_id", "created_at");
CREATE INDEX "payouts_status_idx" ON "payouts"("status");

CREATE TABLE "gifts" (
    "id" TEXT PRIMARY KEY,
    "buyer_id" TEXT NOT NULL REFERENCES "users"("id"),
    "course_id" TEXT NOT NULL REFERENCES "courses"("id"),
    "recipient_email" TEXT NOT NULL,
    "redeem_code" TEXT NOT NULL,
    "charge_id" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "redeemed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "gifts_redeem_code_key" ON "gifts"("redeem_code");
CREATE INDEX "gifts_buyer_id_idx" ON "gifts"("buyer_id");

CREATE TABLE "webhook_events" (
    "id" TEXT PRIMARY KEY,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "certificates" (
    "id" TEXT PRIMARY KEY,
    "enrollment_id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "issued_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "certificates_enrollment_id_key" ON "certificates"("enrollment_id");
