import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req } from '@nestjs/common';
import { AppointmentsService } from './appointments.service';
import { BookDto } from './dto';

@Controller('appointments')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get('mine')
  async mine(@Req() req: any) {
    return this.appointments.forPatientUser(req.user.sub);
  }

  @Get(':id')
  async one(@Param('id', ParseIntPipe) id: number) {
    return this.appointments.byId(id);
  }

  @Get()
  async search(@Query('patient') patient: string) {
    return this.appointments.searchByPatientName(patient);
  }

  @Post()
  async book(@Req() req: any, @Body() dto: BookDto) {
    return this.appointments.book(req.user.sub, dto);
  }

  @Post(':id/cancel')
  async cancel(@Req() req: any, @Param('id', ParseIntPipe) id: number) {
    return this.appointments.cancel(req.user.sub, id);
  }

  @Get('doctor/:doctorId/day')
  async day(@Param('doctorId', ParseIntPipe) doctorId: number) {
    return this.appointments.doctorDay(doctorId);
  }
}
