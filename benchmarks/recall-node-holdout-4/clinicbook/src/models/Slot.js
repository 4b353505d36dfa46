import mongoose from 'mongoose';

const { Schema } = mongoose;

const slotSchema = new Schema(
  {
    clinic: { type: Schema.Types.ObjectId, ref: 'Clinic', required: true },
    practitioner: { type: Schema.Types.ObjectId, ref: 'Practitioner', required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    status: { type: String, enum: ['open', 'held', 'booked', 'blocked'], default: 'open' },
    appointment: { type: Schema.Types.ObjectId, ref: 'Appointment' },
  },
  { timestamps: true },
);

slotSchema.index({ practitioner: 1, startsAt: 1 }, { unique: true });
slotSchema.index({ clinic: 1, startsAt: 1, status: 1 });

export const Slot = mongoose.model('Slot', slotSchema);
