import mongoose from 'mongoose';

const { Schema } = mongoose;

const auditLogSchema = new Schema(
  {
    actor: { type: Schema.Types.ObjectId, ref: 'User' },
    clinic: { type: Schema.Types.ObjectId, ref: 'Clinic' },
    action: { type: String, required: true },
    target: String,
    meta: Schema.Types.Mixed,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

auditLogSchema.index({ clinic: 1, createdAt: -1 });

export const AuditLog = mongoose.model('AuditLog', auditLogSchema);
