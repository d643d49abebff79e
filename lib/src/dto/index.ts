// nestjs-genauth-mfa/dto: the Management API's arguments and answers as class-validator classes, for
// ValidationPipe bodies. An entry of its own so that only the apps that import it load class-validator and
// class-transformer; MfaManagementService checks the same rules without them. class-transformer's @Type reads
// reflect-metadata at import, so it is loaded first even when this entry comes before Nest's.
import 'reflect-metadata';
export { ApplicationMfaDto, MfaTriggerDataDto } from './mfa-trigger-data.dto.js';
export { GetMfaTriggerDataDto, MfaUserRefDto, SetUsersMfaStatusDto } from './mfa-request.dto.js';
export { IsSuccessDto, UserMfaInfoDto } from './mfa-response.dto.js';
