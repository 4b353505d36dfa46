import { IsIn, IsString, Length, Matches } from 'class-validator';

export class SetRoleDto {
  @IsIn(['viewer', 'picker', 'supervisor', 'admin'])
  role: 'viewer' | 'picker' | 'supervisor' | 'admin';
}

export class CreateWarehouseDto {
  @IsString()
  @Matches(/^[A-Za-z0-9-]{2,16}$/)
  code: string;

  @IsString()
  @Length(1, 120)
  name: string;
}
