import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateTargetDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  @Matches(/^[^\s/\\]+$/, { message: 'controllerId must not contain spaces or slashes' })
  controllerId!: string;
  @IsOptional() @IsString() @MaxLength(128) name?: string;
  @IsOptional() @IsString() @MaxLength(512) description?: string;
}
