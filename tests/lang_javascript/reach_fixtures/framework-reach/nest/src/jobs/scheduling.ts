export function Cron(_expr: string) {
  return (_t: object, _k: string) => undefined;
}
