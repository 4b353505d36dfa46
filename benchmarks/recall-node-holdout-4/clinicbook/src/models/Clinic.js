import mongoose from 'mongoose';

const { Schema } = mongoose;

const openingHoursSchema = new Schema(
  {
    weekday: { type: Number, min: 0, max: 6, required: true },
    opens: { type: String, required: true },
    closes: { type: String, required: true },
  },
  { _id: false },
);

const clinicSchema = new Schema(
  {
    name: { type: String, required: true },
    slug: { type: String, required: true, unique: true },
    timezone: { type: String, default: 'America/New_York' },
    address: {
      line1: String,
      city: String,
      region: String,
      postalCode: String,
      country: { type: String, default: 'US' },
    },
    phone: String,
    openingHours: [openingHoursSchema],
    taxRateBps: { type: Number, default: 0 },
    cancellationWindowHours: { type: Number, default: 24 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

export const Clinic = mongoose.model('Clinic', clinicSchema);
