import { Type, type Static } from '@sinclair/typebox';

export const CourseParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const LessonParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  lessonId: Type.String({ format: 'uuid' }),
});

export const CreateCourse = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9-]{3,80}$' }),
  title: Type.String({ minLength: 3, maxLength: 160 }),
  description: Type.String({ maxLength: 20_000 }),
  priceCents: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
}, { additionalProperties: false });
export type CreateCourse = Static<typeof CreateCourse>;

export const UpdateCourse = Type.Partial(
  Type.Pick(CreateCourse, ['title', 'description', 'priceCents', 'capacity']),
  { additionalProperties: false },
);
export type UpdateCourse = Static<typeof UpdateCourse>;

export const UpdateLesson = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 160 })),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  videoAssetId: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });

export const InviteStudents = Type.Object({
  emails: Type.Array(Type.String({ format: 'email', maxLength: 254 }), { minItems: 1, maxItems: 200 }),
}, { additionalProperties: false });
