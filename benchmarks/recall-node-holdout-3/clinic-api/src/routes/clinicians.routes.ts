import { Router } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Appointment } from '../entities/Appointment';
import { Clinician } from '../entities/Clinician';
import { currentUser, requireAuth, requireRole, requireStaff } from '../middleware/auth';
import { HttpError, asyncHandler } from '../middleware/errors';
import { validateBody } from '../middleware/validate';

const createClinicianSchema = z.object({
  userId: z.string().uuid(),
  displayName: z.string().min(1).max(120),
  specialty: z.string().min(1).max(80),
});

export function clinicianRoutes(dataSource: DataSource): Router {
  const router = Router();
  const clinicians = dataSource.getRepository(Clinician);
  router.use(requireAuth);

  router.get(
    '/',
    asyncHandler(async (req, res) => {
      const user = currentUser(req);
      const rows = await clinicians.find({
        where: { clinicId: user.clinicId, active: true },
        order: { displayName: 'ASC' },
        take: 500,
      });
      res.json(rows.map((c) => ({ id: c.id, displayName: c.displayName, specialty: c.specialty })));
    }),
  );

  router.post(
    '/',
    requireRole('admin'),
    validateBody(createClinicianSchema),
    asyncHandler(async (req, res) => {
      const user = currentUser(req);
      const saved = await clinicians.save(clinicians.create({ ...req.body, clinicId: user.clinicId }));
      res.status(201).json(saved);
    }),
  );

  router.post(
    '/:clinicianId/deactivate',
    requireStaff,
    asyncHandler(async (req, res) => {
      const user = currentUser(req);
      const clinician = await clinicians.findOneBy({ id: req.params.clinicianId, clinicId: user.clinicId });
      if (!clinician) {
        throw new HttpError(404, 'clinician not found');
      }
      await dataSource.transaction(async (manager) => {
        await manager.update(Clinician, { id: clinician.id }, { active: false });
        await manager
          .createQueryBuilder()
          .update(Appointment)
          .set({ status: 'cancelled' })
          .where('clinician_id = :id AND status = :booked AND starts_at > now()', {
            id: clinician.id,
            booked: 'booked',
          })
          .execute();
      });
      res.status(204).end();
    }),
  );

  return router;
}
