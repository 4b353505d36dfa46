import { Controller, Get, Param, Res } from '@nestjs/common';
import { Response } from 'express';
import * as path from 'path';

const REPORTS_DIR = '/srv/clinic/reports';

@Controller('files')
export class FilesController {
  @Get('reports/:name')
  report(@Param('name') name: string, @Res() res: Response) {
    return res.sendFile(path.join(REPORTS_DIR, name));
  }

  @Get('letters/:name')
  letter(@Param('name') name: string, @Res() res: Response) {
    return res.sendFile(path.basename(name), { root: '/srv/clinic/letters' });
  }
}
