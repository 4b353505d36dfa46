import { IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class CreateUserDto {
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @MinLength(12)
  @MaxLength(128)
  password: string;

  @IsString()
  @MaxLength(120)
  displayName: string;

  @IsIn(['viewer', 'picker', 'supervisor', 'admin'])
  role: 'viewer' | 'picker' | 'supervisor' | 'admin';

  @IsOptional()
  @IsUUID()
  homeWarehouseId?: string;
}
