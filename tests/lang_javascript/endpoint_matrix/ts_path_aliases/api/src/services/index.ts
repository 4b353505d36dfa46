export * from './reports.service';
