import { Body, Controller, Headers, HttpCode, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Request } from 'express';
import { Public } from '../common/decorators/public.decorator';
import { verifyHmacHex } from '../common/crypto/signatures';
import { IntegrationsService } from './integrations.service';

interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

@Controller({ path: 'integrations', version: '1' })
export class ErpWebhookController {
  private readonly erpSecret: string;
  private readonly carrierSecret: string;

  constructor(
    private readonly integrations: IntegrationsService,
    config: ConfigService,
  ) {
    this.erpSecret = config.getOrThrow<string>('erpWebhookSecret');
    this.carrierSecret = config.getOrThrow<string>('carrierWebhookSecret');
  }

  private assertSigned(secret: string, req: RawBodyRequest, signature: string | undefined) {
    if (!req.rawBody || !verifyHmacHex(secret, req.rawBody, signature)) {
      throw new UnauthorizedException('Bad signature');
    }
  }

  @Public()
  @Post('erp/goods-receipts')
  @HttpCode(202)
  async goodsReceipt(
    @Req() req: RawBodyRequest,
    @Headers('x-erp-signature') signature: string | undefined,
    @Body() body: any,
  ) {
    this.assertSigned(this.erpSecret, req, signature);
    return this.integrations.applyGoodsReceipt(body);
  }

  @Public()
  @Post('carrier/tracking')
  @HttpCode(202)
  async carrierTracking(
    @Req() req: RawBodyRequest,
    @Headers('x-carrier-signature') signature: string | undefined,
    @Body() body: any,
  ) {
    this.assertSigned(this.carrierSecret, req, signature);
    return this.integrations.applyTrackingUpdate(body);
  }
}
