import express from 'express';
import { files } from './files';

const app = express();
app.use('/files', files);
app.listen(3000);
